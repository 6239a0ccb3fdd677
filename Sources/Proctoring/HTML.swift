import ExamCore

/// Small helpers for the static report pages (no scripts; inline CSS and SVG only).
enum HTML {
  static func escape(_ s: String) -> String { HTMLText.escape(s) }

  static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
    <style>
    body{font-family:system-ui,sans-serif;margin:24px;color:#222}
    h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
    .sub{color:#666;margin-bottom:12px}
    table.list{border-collapse:collapse;font-size:13px} table.list td,table.list th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
    .sev-high{color:#b00020;font-weight:600} .sev-medium{color:#b35c00} .sev-low{color:#555}
    .open{font-weight:600;color:#b00020} .legend span{display:inline-block;margin-right:14px;font-size:12px}
    .sw{display:inline-block;width:12px;height:12px;vertical-align:-2px;margin-right:4px;border-radius:2px}
    </style></head><body>
    \(body)
    </body></html>

    """
  }
}
