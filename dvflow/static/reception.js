// The intake form: duplicate suggestions, and the one-time token that keeps a form sent twice to one case.
(function () {
  var form = document.getElementById("intake-form");
  if (!form) return;
  // Going Back to a form already sent shows its fields as they were typed, but the page is fetched again with a new
  // token. The token sent last from this tab is kept, and a filled form shown again takes it back, so sending it a
  // second time shows the case it registered the first time. A fresh, empty form keeps its new token.
  var SENT = "dvflow.intake.sent-token", token = form.elements.form_token;
  form.addEventListener("submit", function () { sessionStorage.setItem(SENT, token.value); });
  window.addEventListener("pageshow", function () {
    var sent = sessionStorage.getItem(SENT);
    if (sent && form.querySelector("#subject").value.trim()) token.value = sent;
  });
  var box = document.getElementById("duplicates"), list = box.querySelector("ul"), timer = null;
  function check() {
    var ids = Array.prototype.map.call(form.querySelectorAll("input.identity"), function (i) { return i.value.trim(); })
      .filter(Boolean);
    var params = new URLSearchParams({ subject: form.querySelector("#subject").value, identity: ids[0] || "" });
    fetch(form.dataset.duplicatesUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (cases) {
        list.textContent = "";
        cases.forEach(function (c) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = c.url; a.textContent = c.tracking_code; a.target = "_blank";
          li.appendChild(a); li.appendChild(document.createTextNode(" · " + c.received + " · " + c.subject));
          list.appendChild(li);
        });
        box.hidden = cases.length === 0;
      });
  }
  form.addEventListener("input", function (e) {
    if (e.target.id === "subject" || e.target.classList.contains("identity")) {
      clearTimeout(timer); timer = setTimeout(check, 400);
    }
  });
})();
