extension PostgresSchema {
  /// pg3: every table of the SQLite store (`Schema`, v1-core to v5-keys), in its order. The scoring slice of pg2
  /// held a subset of the columns of `exam`, `recording`, `machine_score` and `mark`; those four are re-made whole,
  /// which is why they must be empty (collect their scores into the office store, then migrate a fresh database).
  /// `audit` and `scoring_model` keep their rows.
  static let everyTable = PostgresMigration(
    name: "pg3-every-table",
    requiresEmpty: ["mark", "machine_score", "recording", "exam"],
    sql: [
      "DROP TABLE mark, machine_score, recording, exam",
      // v1-core
      "ALTER TABLE audit ADD COLUMN account text",  // v5-keys: the OS account that ran the command
      """
      CREATE TABLE exam (
        id text PRIMARY KEY, title text NOT NULL, pack_sha256 text NOT NULL, form_count integer NOT NULL DEFAULT 1,
        total_points double precision NOT NULL, definition_json text NOT NULL, imported_at text NOT NULL)
      """,
      """
      CREATE TABLE section (
        exam_id text NOT NULL REFERENCES exam(id) ON DELETE CASCADE, id text NOT NULL, position integer NOT NULL,
        title text NOT NULL, part text NOT NULL, points double precision NOT NULL,
        PRIMARY KEY (exam_id, id))
      """,
      """
      CREATE TABLE item (
        exam_id text NOT NULL REFERENCES exam(id) ON DELETE CASCADE, id text NOT NULL, section_id text NOT NULL,
        position integer NOT NULL, type text NOT NULL, points double precision NOT NULL, prompt_text text,
        reference_text text, reference_audio_sha256 text, answer_key text, prompt_seconds double precision,
        min_answer_seconds double precision, max_answer_seconds double precision, rubric_json text,
        PRIMARY KEY (exam_id, id), FOREIGN KEY (exam_id, section_id) REFERENCES section(exam_id, id))
      """,
      """
      CREATE TABLE candidate (
        id text PRIMARY KEY, name text NOT NULL, national_id text NOT NULL UNIQUE, school text NOT NULL,
        district text NOT NULL, accommodations text NOT NULL DEFAULT '')
      """,
      "CREATE INDEX candidate_on_school ON candidate (school)",
      """
      CREATE TABLE district_adjacency (
        district text NOT NULL, neighbour text NOT NULL, PRIMARY KEY (district, neighbour))
      """,
      """
      CREATE TABLE centre (
        id text PRIMARY KEY, name text NOT NULL, district text NOT NULL, address text NOT NULL DEFAULT '')
      """,
      """
      CREATE TABLE room (
        centre_id text NOT NULL REFERENCES centre(id) ON DELETE CASCADE, id text NOT NULL,
        accessible boolean NOT NULL DEFAULT false, rows integer NOT NULL, columns integer NOT NULL,
        PRIMARY KEY (centre_id, id))
      """,
      """
      CREATE TABLE seat (
        centre_id text NOT NULL, room_id text NOT NULL, id text NOT NULL, "row" integer NOT NULL,
        "column" integer NOT NULL, machine_id text, reserve boolean NOT NULL DEFAULT false,
        PRIMARY KEY (centre_id, room_id, id),
        FOREIGN KEY (centre_id, room_id) REFERENCES room(centre_id, id) ON DELETE CASCADE)
      """,
      """
      CREATE TABLE session (id text PRIMARY KEY, date text NOT NULL, start text NOT NULL, "end" text NOT NULL)
      """,
      """
      CREATE TABLE allocation (
        exam_id text NOT NULL REFERENCES exam(id) ON DELETE CASCADE, candidate_id text NOT NULL REFERENCES candidate(id),
        session_id text NOT NULL REFERENCES session(id), centre_id text NOT NULL, room_id text NOT NULL,
        seat_id text NOT NULL, form text NOT NULL DEFAULT 'A',
        PRIMARY KEY (exam_id, candidate_id), UNIQUE (exam_id, session_id, centre_id, room_id, seat_id),
        FOREIGN KEY (centre_id, room_id, seat_id) REFERENCES seat(centre_id, room_id, id))
      """,
      """
      CREATE TABLE recording (
        id bigserial PRIMARY KEY, exam_id text NOT NULL REFERENCES exam(id),
        candidate_id text NOT NULL REFERENCES candidate(id), item_id text NOT NULL, version integer NOT NULL,
        is_current boolean NOT NULL, original_sha256 text NOT NULL, original_name text NOT NULL,
        stored_sha256 text NOT NULL, duration_seconds double precision NOT NULL, original_sample_rate integer NOT NULL,
        original_channels integer NOT NULL, original_format text NOT NULL, centre_id text NOT NULL, session_id text,
        seat_id text, recorded_at text NOT NULL, ingested_at text NOT NULL, batch_id text NOT NULL,
        flags text NOT NULL DEFAULT '',
        UNIQUE (exam_id, candidate_id, item_id, original_sha256),
        FOREIGN KEY (exam_id, item_id) REFERENCES item(exam_id, id))
      """,
      """
      CREATE TABLE listening_answer (
        id bigserial PRIMARY KEY, exam_id text NOT NULL REFERENCES exam(id),
        candidate_id text NOT NULL REFERENCES candidate(id), item_id text NOT NULL, choice text NOT NULL,
        answered_at text NOT NULL, centre_id text NOT NULL, batch_id text NOT NULL,
        UNIQUE (exam_id, candidate_id, item_id), FOREIGN KEY (exam_id, item_id) REFERENCES item(exam_id, id))
      """,
      """
      CREATE TABLE result (
        exam_id text NOT NULL REFERENCES exam(id), candidate_id text NOT NULL REFERENCES candidate(id),
        sitting_date text NOT NULL, total double precision NOT NULL, listening double precision NOT NULL,
        speaking double precision NOT NULL, section_scores_json text NOT NULL, level text NOT NULL,
        finalised_at text NOT NULL, PRIMARY KEY (exam_id, candidate_id))
      """,
      // v2-rooms
      """
      CREATE TABLE allocation_run (
        exam_id text PRIMARY KEY REFERENCES exam(id) ON DELETE CASCADE, seed text NOT NULL, report_json text NOT NULL,
        created_at text NOT NULL)
      """,
      """
      CREATE TABLE seat_failure (
        exam_id text NOT NULL REFERENCES exam(id) ON DELETE CASCADE, session_id text NOT NULL, centre_id text NOT NULL,
        room_id text NOT NULL, seat_id text NOT NULL, candidate_id text, to_centre_id text, to_room_id text,
        to_seat_id text, reason text NOT NULL, at text NOT NULL, operator text NOT NULL,
        PRIMARY KEY (exam_id, session_id, centre_id, room_id, seat_id))
      """,
      // v2-ingest
      """
      CREATE TABLE ingest_batch (
        id text PRIMARY KEY, exam_id text NOT NULL REFERENCES exam(id), centre_id text NOT NULL REFERENCES centre(id),
        session_id text, source text NOT NULL, runs integer NOT NULL, started_at text NOT NULL, finished_at text,
        first_finished_at text, report_json text)
      """,
      """
      CREATE TABLE quarantine (
        batch_id text NOT NULL REFERENCES ingest_batch(id) ON DELETE CASCADE, file text NOT NULL, line integer,
        candidate_id text, item_id text, reason text NOT NULL, message text NOT NULL, quarantined_as text,
        at text NOT NULL, PRIMARY KEY (batch_id, file, reason))
      """,
      // v2-scoring (scoring_model is pg2's, already the same)
      """
      CREATE TABLE machine_score (
        recording_id bigint PRIMARY KEY REFERENCES recording(id) ON DELETE CASCADE, exam_id text NOT NULL,
        candidate_id text NOT NULL, item_id text NOT NULL, features_json text NOT NULL, aspects_json text NOT NULL,
        points double precision, confidence double precision NOT NULL, needs_human boolean NOT NULL,
        reason text NOT NULL, model_version text NOT NULL, scored_at text NOT NULL)
      """,
      "CREATE INDEX machine_score_on_exam_id ON machine_score (exam_id)",
      "CREATE TABLE rater (id text PRIMARY KEY, name text NOT NULL, school text NOT NULL)",
      """
      CREATE TABLE mark_assignment (
        recording_id bigint NOT NULL REFERENCES recording(id) ON DELETE CASCADE,
        rater_id text NOT NULL REFERENCES rater(id), slot integer NOT NULL, assigned_at text NOT NULL,
        PRIMARY KEY (recording_id, slot), UNIQUE (recording_id, rater_id))
      """,
      """
      CREATE TABLE mark (
        id bigserial PRIMARY KEY, recording_id bigint NOT NULL REFERENCES recording(id) ON DELETE CASCADE,
        rater_id text NOT NULL, kind text NOT NULL, points double precision NOT NULL, marked_at text NOT NULL,
        source text NOT NULL, UNIQUE (recording_id, kind, rater_id))
      """,
      "CREATE INDEX mark_on_recording_id ON mark (recording_id)",
      """
      CREATE TABLE final_mark (
        recording_id bigint PRIMARY KEY REFERENCES recording(id) ON DELETE CASCADE, exam_id text NOT NULL,
        candidate_id text NOT NULL, item_id text NOT NULL, points double precision NOT NULL, method text NOT NULL,
        mark_ids text NOT NULL, decided_at text NOT NULL)
      """,
      "CREATE INDEX final_mark_on_exam_id ON final_mark (exam_id)",
      // v2-proctoring
      """
      CREATE TABLE seat_event (
        id bigserial PRIMARY KEY, exam_id text NOT NULL, machine_id text NOT NULL, seq bigint NOT NULL,
        at double precision NOT NULL, centre_id text NOT NULL, room_id text NOT NULL, seat_id text NOT NULL,
        candidate_id text, type text NOT NULL, item_id text, level double precision, passed boolean,
        UNIQUE (exam_id, centre_id, room_id, machine_id, seq))
      """,
      """
      CREATE TABLE incident (
        id bigserial PRIMARY KEY, exam_id text NOT NULL, key text NOT NULL, rule text NOT NULL,
        category text NOT NULL, subcategory text NOT NULL, severity text NOT NULL, session_id text, centre_id text,
        room_id text, seat_id text, candidate_id text, at double precision, comment text NOT NULL,
        evidence text NOT NULL, suggestion text, status text NOT NULL DEFAULT 'open', raised_at text NOT NULL,
        raised_by text NOT NULL, UNIQUE (exam_id, key))
      """,
      """
      CREATE TABLE incident_decision (
        id bigserial PRIMARY KEY, incident_id bigint NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
        action text NOT NULL, reason text NOT NULL, operator text NOT NULL, at text NOT NULL)
      """,
      "CREATE TABLE audio_analysis (stored_sha256 text PRIMARY KEY, version integer NOT NULL, json text NOT NULL)",
      // v2-records
      """
      CREATE TABLE student (
        national_id text PRIMARY KEY, student_number text NOT NULL UNIQUE, name text NOT NULL, school text NOT NULL,
        district text NOT NULL, class_name text NOT NULL, cohort integer NOT NULL)
      """,
      "CREATE INDEX student_on_school ON student (school)",
      "CREATE INDEX student_on_district ON student (district)",
      "CREATE INDEX student_on_cohort ON student (cohort)",
      """
      CREATE TABLE record_entry (
        id bigserial PRIMARY KEY, national_id text NOT NULL REFERENCES student(national_id) ON DELETE CASCADE,
        dimension text NOT NULL, indicator text, type text NOT NULL, title text NOT NULL, date text NOT NULL,
        hours double precision, score double precision, grade text, source text NOT NULL, evidence text,
        status text NOT NULL, imported_at text NOT NULL, UNIQUE (national_id, dimension, type, title, date))
      """,
      """
      CREATE TABLE record_test_sitting (
        national_id text NOT NULL REFERENCES student(national_id) ON DELETE CASCADE, exam_id text NOT NULL,
        exam_title text NOT NULL, candidate_id text NOT NULL, sitting_date text NOT NULL,
        total double precision NOT NULL, max_total double precision NOT NULL, listening double precision NOT NULL,
        speaking double precision NOT NULL, section_scores_json text NOT NULL, level text NOT NULL,
        counted boolean NOT NULL, synced_at text NOT NULL, PRIMARY KEY (national_id, exam_id))
      """,
      // v3-server
      """
      CREATE TABLE access_token (
        id text PRIMARY KEY, role text NOT NULL, centre_id text REFERENCES centre(id),
        token_sha256 text NOT NULL UNIQUE, label text NOT NULL DEFAULT '', issued_at text NOT NULL,
        issued_by text NOT NULL, revoked_at text, revoked_by text)
      """,
      """
      CREATE TABLE upload (
        id text PRIMARY KEY, token_id text NOT NULL REFERENCES access_token(id),
        centre_id text NOT NULL REFERENCES centre(id), session_id text, file_name text NOT NULL DEFAULT '',
        length_bytes bigint NOT NULL, offset_bytes bigint NOT NULL, state text NOT NULL, created_at text NOT NULL,
        expires_at text NOT NULL, received_at text, batch_id text, report_json text, error_json text,
        finished_at text)
      """,
      "CREATE INDEX upload_on_centre ON upload (centre_id, state)",
      // v4-marking-desk
      """
      CREATE TABLE rater_account (
        rater_id text PRIMARY KEY REFERENCES rater(id) ON DELETE CASCADE, role text NOT NULL, password_hash text,
        disabled boolean NOT NULL DEFAULT false, failed_logins integer NOT NULL DEFAULT 0, locked_until text,
        created_at text NOT NULL, password_set_at text)
      """,
      """
      CREATE TABLE desk_session (
        token_sha256 text PRIMARY KEY, rater_id text NOT NULL REFERENCES rater_account(rater_id) ON DELETE CASCADE,
        csrf_token text NOT NULL, created_at text NOT NULL, expires_at text NOT NULL)
      """,
      "CREATE INDEX desk_session_on_rater_id ON desk_session (rater_id)",
      "CREATE INDEX mark_assignment_on_rater ON mark_assignment (rater_id, recording_id)",
      // v5-keys
      """
      CREATE TABLE trusted_signer (
        fingerprint text PRIMARY KEY, public_key text NOT NULL UNIQUE, label text NOT NULL DEFAULT '',
        trusted_at text NOT NULL, trusted_by text NOT NULL, revoked_at text, revoked_by text)
      """,
    ])
}
