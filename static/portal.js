// A table that scrolls inside its own box (portal.css, at phone width) takes the
// keyboard focus, so it can be scrolled without a mouse; one that fits does not.
(function () {
  function mark() {
    document.querySelectorAll("table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.dataset.scrollFocus = "1";
      } else if (!scrolls && table.dataset.scrollFocus) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();

// The landscape diagram scrolls sideways in its own box: its hint says so only while
// there is more to see (without a script the hint simply stays).
(function () {
  function hint() {
    document.querySelectorAll(".landscape-scroll").forEach(function (box) {
      var text = document.getElementById(box.getAttribute("aria-describedby"));
      if (text) text.hidden = box.scrollWidth <= box.clientWidth + 1;
    });
  }
  // On a phone the box shows a sliver of the tree: start at its top (the system, in the
  // middle), not at the empty left-hand corner.
  function centre() {
    document.querySelectorAll(".landscape-scroll").forEach(function (box) {
      if (box.clientWidth < 600) box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    });
  }
  document.addEventListener("DOMContentLoaded", hint);
  document.addEventListener("DOMContentLoaded", centre);
  window.addEventListener("resize", hint);
})();
