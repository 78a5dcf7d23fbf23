"""`python3 build.py serve`: the site on http://127.0.0.1:8000/, rebuilt when a source changes.

The same pipeline as `build`, with any engine, served as a static host serves it
(localsite.py). Sources are watched by polling their modification times, which works on every
file system and editor. A build with errors prints them and keeps the last good site on
show; the page reloads itself after every good build (a small script, added to the pages of
this server only, that asks for the build number): no inline script, so the
Content-Security-Policy stays on as published.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from .errors import PortalError
from .localsite import serve as serve_directory
from .pipeline import build

WATCHED = ("content", "portal", "calculators/patientavgift", "mkdocs.yml")
"""What the site is made from, relative to the repository root."""
BUILD_NUMBER = "livereload.txt"
"""Written into the site after each good build; the script reloads when it changes."""
LIVE_RELOAD_JS = f"""// Reloads the page after each new build of `python3 build.py serve` (portal/serve.py).
(function () {{
  var address = new URL("{BUILD_NUMBER}", document.querySelector("script[src$='livereload.js']").src.replace(/assets\\/livereload\\.js.*$/, "")).href;
  var seen = null;
  function ask() {{
    fetch(address, {{ cache: "no-store" }}).then(function (response) {{ return response.ok ? response.text() : seen; }})
      .then(function (number) {{
        if (seen !== null && number !== seen) {{ location.reload(); return; }}
        seen = number;
        setTimeout(ask, 700);
      }}, function () {{ setTimeout(ask, 2000); }});
  }}
  ask();
}})();
"""


def snapshot(root: Path) -> dict[Path, float]:
    """The modification time of every watched file."""
    times = {}
    for name in WATCHED:
        path = root / name
        for file in ([path] if path.is_file() else path.rglob("*") if path.is_dir() else []):
            if file.is_file() and "__pycache__" not in file.parts:
                times[file] = file.stat().st_mtime
    return times


def rebuild(root: Path, site_dir: Path, engine: str, number: int) -> bool:
    """Build into a fresh folder and swap it in only when the build succeeded."""
    fresh = site_dir.with_name(site_dir.name + ".ny")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        # A docs tree of its own, so that a build or test run beside the server cannot mix with it.
        done = build(root, fresh, engine=engine, extra_files={"assets/livereload.js": LIVE_RELOAD_JS},
                     extra_javascript=["assets/livereload.js"], tree_dir=root / "build" / "serve-tree")
    except PortalError as error:
        print(error.format_message(), file=sys.stderr, flush=True)
        print("Bygget misslyckades; webbplatsen visar det senaste lyckade bygget. Rätta och spara igen.", flush=True)
        if not (site_dir / "index.html").is_file():
            waiting_page(site_dir)
        return False
    (fresh / BUILD_NUMBER).write_text(str(number), encoding="utf-8")
    old = site_dir.with_name(site_dir.name + ".gammal")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    fresh.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(done.summary(engine, site_dir), flush=True)
    return True


WAITING_PAGE = """<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Webbplatsen kunde inte byggas</title></head>
<body>
<main>
<h1>Webbplatsen kunde inte byggas</h1>
<p>Felen står i terminalen där du startade <code>python3 build.py serve</code>. Rätta dem och
spara, så byggs webbplatsen och den här sidan laddas om av sig själv.</p>
</main>
<script src="assets/livereload.js"></script>
</body>
</html>
"""


def waiting_page(site_dir: Path) -> None:
    """What the browser shows when no build has succeeded yet: where the errors are, and a
    reload as soon as one does."""
    (site_dir / "assets").mkdir(parents=True, exist_ok=True)
    (site_dir / "assets" / "livereload.js").write_text(LIVE_RELOAD_JS, encoding="utf-8")
    (site_dir / "index.html").write_text(WAITING_PAGE, encoding="utf-8")
    (site_dir / BUILD_NUMBER).write_text("0", encoding="utf-8")


def serve(root: Path, *, engine: str = "mkdocs", port: int = 8000, site_dir: Path | None = None) -> int:
    site_dir = site_dir or root / "build" / "serve"
    site_dir.mkdir(parents=True, exist_ok=True)
    number = 1
    rebuild(root, site_dir, engine, number)
    seen = snapshot(root)
    with serve_directory(site_dir, port=port) as url:
        print(f"Webbplatsen visas på {url} och byggs om när du sparar en fil. Avsluta med Ctrl+C.", flush=True)
        try:
            while True:
                time.sleep(0.5)
                now = snapshot(root)
                if now != seen:
                    seen = now
                    number += 1
                    print("Ändring upptäckt, bygger om …", flush=True)
                    rebuild(root, site_dir, engine, number)
        except KeyboardInterrupt:
            return 0
