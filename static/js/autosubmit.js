// Sends the shopper on to the payment page at once; the button stays for browsers
// without scripts.
(function () {
  var form = document.querySelector("form[data-autosubmit]");
  if (form) {
    form.submit();
  }
})();
