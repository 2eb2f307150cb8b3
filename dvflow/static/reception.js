// Duplicate suggestions on the intake form: asks /tiep-nhan/trung-lap as the subject or an identity number changes.
(function () {
  var form = document.getElementById("intake-form");
  if (!form) return;
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
