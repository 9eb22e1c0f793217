// Follows a job (a spreadsheet check or import) while the server works on it. The forms post
// as usual (they work without this script); until the next page arrives, this one asks
// the server how far the work has got and shows it.
(() => {
  const panel = document.getElementById("import-progress");
  if (!panel) return;
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-progress-text]");
  const url = panel.dataset.progressUrl;
  const reloadWhenDone = panel.hasAttribute("data-reload-when-done");
  const working = new Set(["checking", "queued", "running"]);
  const number = (n) => n.toLocaleString("en-GB");
  let following = false;
  const verbs = { read: "Read", check: "Checked", write: "Imported" };
  // What the live region last said, as stage and tenth: it speaks at each tenth and
  // each new stage, not at every poll, or it would drown out all else a screen reader says.
  let said = "";

  function show(progress) {
    let message, step;
    if (progress.total > 0) {
      bar.max = progress.total;
      bar.value = progress.done;
      const verb = verbs[progress.stage] || "Done";
      message = `${verb} ${number(progress.done)} of ${number(progress.total)} rows.`;
      step = `${progress.stage}:${Math.floor((10 * progress.done) / progress.total)}`;
    } else {
      bar.removeAttribute("value");
      message =
        { write: "Starting the import…", queued: "Waiting for a worker to start it…" }[
          progress.stage
        ] || "Reading the file…";
      step = `${progress.stage}:start`;
    }
    if (step !== said) {
      said = step;
      text.textContent = message;
    }
  }

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const progress = await response.json();
        if (reloadWhenDone && !working.has(progress.state)) {
          window.location.reload();
          return;
        }
        show(progress);
      }
    } catch {
      // The server is busy or the network blinked: the next poll tries again.
    }
    window.setTimeout(poll, 700);
  }

  function follow() {
    if (following) return;
    following = true;
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
    poll();
  }

  for (const form of document.querySelectorAll("form[data-follow-progress]")) {
    form.addEventListener("submit", (event) => {
      // One submission: a second click would only queue the same work again.
      if (following) {
        event.preventDefault();
        return;
      }
      follow();
    });
  }
  if (reloadWhenDone) follow();
})();
