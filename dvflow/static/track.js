// The QR code on a receipt opens /tra-cuu#ma=<code>&bm=<secret>. The fragment never reaches the server (so the
// secret stays out of access logs); this fills the form from it, removes it from the address bar and looks up.
(function () {
  var params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  var code = params.get('ma'), secret = params.get('bm');
  if (!code || !secret) { return; }
  var form = document.getElementById('tracking_code').form;
  document.getElementById('tracking_code').value = code;
  document.getElementById('secret').value = secret;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
})();
