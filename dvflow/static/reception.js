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
    // POST, so that an identity number never travels in an address (access logs, history)
    var params = new URLSearchParams({ csrf_token: form.elements.csrf_token.value,
      subject: form.querySelector("#subject").value, identity: ids[0] || "" });
    fetch(form.dataset.duplicatesUrl, { method: "POST", body: params, credentials: "same-origin" })
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

// Party rows: the roles follow the kind chosen (the roles its workflow declares, the one it requires first), and a
// row can be added or removed. Without script the page shows one row, and the server reads every row it is sent.
(function () {
  var form = document.getElementById("intake-form");
  if (!form) return;
  var kinds = JSON.parse(form.dataset.kinds), labels = JSON.parse(form.dataset.roleLabels);
  var body = document.getElementById("party-rows"), template = document.getElementById("party-row-template");
  var add = document.getElementById("add-party"), kind = document.getElementById("kind");
  var next = 0;
  Array.prototype.forEach.call(body.querySelectorAll("select.role"), function (s) {
    next = Math.max(next, parseInt(s.name.split("-")[1], 10) + 1);
  });
  function fillRoles(select, keep) {
    var spec = kinds[kind.value] || { roles: [], required: "" }, current = keep ? select.value : "";
    select.textContent = "";
    spec.roles.forEach(function (role) {
      var o = document.createElement("option");
      o.value = role; o.textContent = labels[role] || role;
      select.appendChild(o);
    });
    select.value = spec.roles.indexOf(current) >= 0 ? current : spec.required;
  }
  function showRemove() {
    var rows = body.querySelectorAll("tr.party-row");
    Array.prototype.forEach.call(rows, function (row) {
      row.querySelector(".remove-party").hidden = rows.length < 2;
    });
  }
  add.hidden = false;
  add.addEventListener("click", function () {
    var html = template.innerHTML.replace(/__i__/g, String(next++));
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.querySelector("tr");
    fillRoles(row.querySelector("select.role"), false);
    body.appendChild(row);
    row.querySelector("input[type=text]").focus();
    showRemove();
  });
  body.addEventListener("click", function (e) {
    if (!e.target.classList.contains("remove-party")) return;
    e.target.closest("tr").remove();
    showRemove();
  });
  kind.addEventListener("change", function () {
    Array.prototype.forEach.call(body.querySelectorAll("select.role"), function (s) { fillRoles(s, true); });
  });
  showRemove();
})();
