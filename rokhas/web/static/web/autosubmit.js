// Forms marked data-autosubmit (the signed form to the payment gateway) are sent at once;
// without JavaScript the visible button does the same.
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) { form.submit(); });
