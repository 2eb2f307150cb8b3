// The "print" buttons (class js-print): a static script, since the Content-Security-Policy runs no inline handler.
document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
