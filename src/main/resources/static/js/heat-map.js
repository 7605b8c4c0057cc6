// "Show where the model looked" on an image result: the map is asked for on the first click only (an occlusion map
// costs about fifty forward passes) and then shown or hidden without reloading. Without this script the button is a link to
// the page with the map.
(function () {
  'use strict';

  var button = document.getElementById('look');
  var map = document.getElementById('heat-map');
  var note = document.getElementById('look-note');
  if (!button || !map) {
    return;
  }
  button.addEventListener('click', function (event) {
    event.preventDefault();
    var show = button.getAttribute('aria-pressed') !== 'true';
    if (show && !map.getAttribute('src')) {
      button.textContent = button.dataset.computing;
      button.classList.add('disabled');
      map.addEventListener('load', function () {
        button.classList.remove('disabled');
        display(true);
      }, { once: true });
      map.addEventListener('error', function () {
        button.classList.remove('disabled');
        button.textContent = button.dataset.show;
        // the answer's reason, in the page's language, from the JSON form of the same address
        fetch(map.dataset.src.replace(/\.png(\?|$)/, '$1'), { headers: { Accept: 'application/json' } })
          .then(function (response) { return response.json(); })
          .then(function (problem) { note.textContent = button.dataset.failed.replace('{0}', problem.detail || ''); })
          .catch(function () { note.textContent = button.dataset.failed.replace('{0}', ''); })
          .finally(function () { note.hidden = false; });
      }, { once: true });
      map.setAttribute('src', map.dataset.src);
      return;
    }
    display(show);
  });

  function display(show) {
    map.hidden = !show;
    note.hidden = !show;
    button.setAttribute('aria-pressed', String(show));
    button.textContent = show ? button.dataset.hide : button.dataset.show;
  }
}());
