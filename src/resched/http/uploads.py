"""The body cap of the file-upload routes: a 10 MB file plus its multipart framing (the
boundaries, the part headers and the small form fields sent with it). The route itself then
refuses a file part over 10 MB with the same message, so every over-size upload gets a 413
that says what the limit is."""

from __future__ import annotations

from resched.io.uploads import MAX_UPLOAD_BYTES

MULTIPART_ALLOWANCE = 64 * 1024
UPLOAD_TOO_LARGE = (
    f"The file is too large: an upload is at most {MAX_UPLOAD_BYTES} bytes (10 MB). "
    "Split it into several files."
)
# The API's upload routes (the import wizard's, a schedule file's and its preview) and the
# import page's upload form.
UPLOAD_PATHS = (
    "/api/v1/imports",
    "/api/v1/schedules/import-file",
    "/api/v1/schedules/import-file/preview",
    "/import",
)


def upload_limits() -> dict[str, tuple[int, str]]:
    return dict.fromkeys(UPLOAD_PATHS, (MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE, UPLOAD_TOO_LARGE))
