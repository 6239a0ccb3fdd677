/// `/upload`: the page for centre staff. Plain HTML and a small script, no build step: paste the centre's token,
/// choose the batch zip, and it uploads with tus 1.0 in 4 MiB chunks (each with its SHA-256), shows progress,
/// resumes after a reload or a dropped network (the upload URL is kept in the browser's localStorage, keyed by
/// file name, size and date), then shows the ingest report. Query parameters for tests: `chunkKiB=N` sets the
/// chunk size, `stopAfterChunks=N` stops after N chunks as a closed tab would (so a reload can be seen resuming).
enum UploadPage {
  static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Upload a batch</title>
    <style>body{font:15px system-ui,sans-serif;margin:2em;max-width:52em}label{display:block;margin:.8em 0}
    progress{width:100%;height:1.4em}#report{white-space:pre-wrap;background:#f6f6f6;padding:.8em}
    .bad{color:#a00}.good{color:#070}</style></head><body>
    <h1>Upload a batch of recorded answers</h1>
    <label>Centre token <input id="token" type="password" size="72" autocomplete="off"></label>
    <label>Batch (.zip with manifest.csv) <input id="file" type="file" accept=".zip,application/zip"></label>
    <label>Session (optional) <input id="session" size="8"></label>
    <button id="send">Upload</button>
    <p><progress id="bar" max="1" value="0"></progress></p>
    <p id="state"></p>
    <p id="resume"></p>
    <pre id="report"></pre>
    <script>
    "use strict";
    const query = new URLSearchParams(location.search);
    const CHUNK = 1024 * (Number(query.get("chunkKiB")) || 4096);
    const STOP_AFTER = Number(query.get("stopAfterChunks")) || Infinity;
    const $ = (id) => document.getElementById(id);
    $("token").value = localStorage.getItem("exam.token") || "";
    const say = (text, cls) => { $("state").textContent = text; $("state").className = cls || ""; };
    const b64 = (text) => btoa(unescape(encodeURIComponent(text)));
    const headers = (extra) => Object.assign({"Tus-Resumable": "1.0.0", "Authorization": "Bearer " + $("token").value.trim()}, extra || {});
    async function problem(response) {
      try { return (await response.json()).error.message; } catch (e) { return response.status + " " + response.statusText; }
    }
    async function sha256(buffer) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
      return btoa(String.fromCharCode.apply(null, digest));
    }
    async function start(file) {
      const key = "exam.upload:" + file.name + ":" + file.size + ":" + file.lastModified;
      let url = localStorage.getItem(key), offset = 0;
      if (url) {
        const head = await fetch(url, {method: "HEAD", headers: headers()});
        if (head.ok) { offset = Number(head.headers.get("Upload-Offset")); } else { url = null; }
      }
      if (!url) {
        let meta = "filename " + b64(file.name);
        if ($("session").value.trim()) meta += ",session " + b64($("session").value.trim());
        const made = await fetch("/uploads", {method: "POST", headers: headers({"Upload-Length": String(file.size), "Upload-Metadata": meta})});
        if (made.status !== 201) throw new Error(await problem(made));
        url = made.headers.get("Location");
        localStorage.setItem(key, url);
      } else {
        $("resume").textContent = "Resumed at " + offset + " of " + file.size + " bytes";
      }
      let failures = 0, chunks = 0;
      while (offset < file.size) {
        if (chunks++ >= STOP_AFTER) { say("Stopped at " + offset + " of " + file.size + " bytes"); return; }
        $("bar").value = offset / file.size;
        const chunk = await file.slice(offset, Math.min(offset + CHUNK, file.size)).arrayBuffer();
        try {
          const extra = {"Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset)};
          if (window.crypto && crypto.subtle) extra["Upload-Checksum"] = "sha256 " + await sha256(chunk);  // plain HTTP off loopback has no crypto.subtle
          const sent = await fetch(url, {method: "PATCH", body: chunk, headers: headers(extra)});
          if (sent.status === 204) { offset = Number(sent.headers.get("Upload-Offset")); failures = 0; continue; }
          if (sent.status === 401 || sent.status === 403 || sent.status === 404 || sent.status === 410 || sent.status === 413) {
            localStorage.removeItem(key);
            throw new Error(await problem(sent));
          }
          say("The server said: " + await problem(sent) + " — retrying", "bad");
        } catch (e) {
          if (e instanceof Error && e.message && !(e instanceof TypeError)) throw e;
          say("Network problem — retrying", "bad");
        }
        failures += 1;
        await new Promise((r) => setTimeout(r, Math.min(30000, 1000 * 2 ** failures)));
        const head = await fetch(url, {method: "HEAD", headers: headers()}).catch(() => null);
        if (head && head.ok) offset = Number(head.headers.get("Upload-Offset"));
      }
      $("bar").value = 1;
      say("Uploaded; checking the recordings…");
      for (;;) {
        const got = await fetch(url + "/report", {headers: headers()});
        if (got.status === 202) { await new Promise((r) => setTimeout(r, 1000)); continue; }
        localStorage.removeItem(key);
        const report = await got.json();
        $("report").textContent = JSON.stringify(report, null, 2);
        if (got.status !== 200) { say("The batch was refused: " + (report.error && report.error.message), "bad"); return; }
        const refused = Object.values(report.refused || {}).reduce((n, g) => n + g.count, 0);
        say("Done: " + report.added.length + " added, " + report.alreadyStored.length + " already stored, " + refused + " refused",
          refused ? "bad" : "good");
        return;
      }
    }
    $("send").onclick = async () => {
      const file = $("file").files[0];
      if (!file) { say("Choose the batch zip first.", "bad"); return; }
      localStorage.setItem("exam.token", $("token").value.trim());
      $("send").disabled = true;
      try { await start(file); } catch (e) { say(String(e.message || e), "bad"); } finally { $("send").disabled = false; }
    };
    </script></body></html>

    """
}
