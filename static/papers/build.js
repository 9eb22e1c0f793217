// Moves the build progress bar while the server builds the PDF. The page works
// without this script: the form posts as usual and a refresh shows the state.
(() => {
  const panel = document.getElementById("build");
  if (!panel || !panel.dataset.statusUrl) return;
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-build-text]");
  const stage = panel.querySelector("[data-build-stage]");
  const error = panel.querySelector("[data-build-error]");
  const done = panel.querySelector("[data-build-done]");
  const working = new Set(["queued", "running"]);
  let said = "";

  function show(build) {
    bar.value = build.progress;
    bar.textContent = `${build.progress}%`;
    if (stage) stage.textContent = build.stage_label;
    let message;
    if (build.state === "done" && build.version) {
      message = `Built v${build.version.number}: ${build.version.page_count} pages.`;
    } else if (build.state === "failed") {
      message = "The build failed.";
    } else {
      message = `Building: ${build.stage_label.toLowerCase()}…`;
    }
    // The live region speaks when the stage changes, not at every poll.
    if (message !== said) {
      said = message;
      text.textContent = message;
    }
    if (build.message) {
      error.textContent = build.message;
      error.hidden = false;
    }
  }

  async function poll() {
    try {
      const response = await fetch(panel.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const build = await response.json();
        show(build);
        if (!working.has(build.state)) {
          // Finished or failed: reload once to show the version or the retry button.
          done.hidden = build.state !== "done";
          window.setTimeout(() => window.location.reload(), 600);
          return;
        }
      }
    } catch {
      // The server is busy or the network blinked: the next poll tries again.
    }
    window.setTimeout(poll, 600);
  }

  if (panel.hasAttribute("data-working")) poll();
})();
