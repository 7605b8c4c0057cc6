// Demo page: a sample's form posts as it does without JavaScript, and the answer the server
// renders at that sample is put in place, without leaving the page.
(function () {
  'use strict';

  var page = document.getElementById('demo');
  if (!page || !window.fetch || !window.DOMParser) {
    return; // the forms post and the page comes back with the answer
  }

  page.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList.contains('demo-run')) {
      return;
    }
    event.preventDefault();
    var card = form.closest('.demo-sample');
    var slot = card.querySelector('.demo-answer');
    var button = form.querySelector('button');
    var spinner = form.querySelector('.demo-spinner');
    var waiting = form.querySelector('.demo-waiting');
    button.disabled = true;
    spinner.classList.remove('d-none');
    waiting.textContent = page.dataset.waiting;
    slot.setAttribute('aria-busy', 'true');

    // the same post as the form's; fetch follows the redirect to the page with the answer
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      headers: { 'Accept': 'text/html' }
    }).then(function (response) {
      return response.text().then(function (html) {
        var answered = new DOMParser().parseFromString(html, 'text/html');
        var answer = answered.getElementById(slot.id);
        if (response.ok && answer && answer.querySelector('.demo-result')) {
          answer.dataset.inPlace = 'true';
          slot.replaceWith(document.importNode(answer, true));
        } else {
          // an error page says why (a model still loading, the database away)
          var error = answered.getElementById('error');
          showError(slot, error ? error.textContent : page.dataset.failed);
        }
      });
    }).catch(function () {
      showError(slot, page.dataset.failed);
    }).finally(function () {
      button.disabled = false;
      spinner.classList.add('d-none');
      waiting.textContent = '';
      slot.removeAttribute('aria-busy');
    });
  });

  function showError(slot, message) {
    var alert = document.createElement('div');
    alert.className = 'alert alert-danger small py-1 px-2 mb-0 demo-error';
    alert.textContent = message.trim();
    slot.replaceChildren(alert);
  }
}());
