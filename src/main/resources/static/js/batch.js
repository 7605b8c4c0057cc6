// A batch's page: follows the batch until it is finished, then shows the page again with its results.
(function () {
  'use strict';

  var watched = document.getElementById('progress');
  if (watched && watched.dataset.finished !== 'true') {
    var timer = window.setInterval(function () {
      fetch(watched.dataset.progressUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) { return response.json(); })
        .then(function (p) {
          if (p.finished) {
            window.clearInterval(timer);
            window.location.reload();
            return;
          }
          document.getElementById('progress-summary').textContent = p.summary;
          document.getElementById('progress-detail').textContent = p.detail;
          document.getElementById('progress-bar').style.width = p.percent + '%';
          document.getElementById('progress-track').setAttribute('aria-valuenow', p.percent);
        })
        .catch(function () { /* the next tick tries again */ });
    }, 1000);
  }
}());
