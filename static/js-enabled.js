// Marks the page as scripted before it paints (the NHS.UK frontend's progressive
// enhancement). Kept in a file, not inline, so the Content-Security-Policy needs no
// 'unsafe-inline'.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
