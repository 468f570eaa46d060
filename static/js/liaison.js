// Behaviour that used to sit in inline on* attributes: the Content-Security-Policy allows no
// inline script. <button data-print> prints the page; <form data-confirm="..."> asks first.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
