// A page that follows work in the background (a training run, a batch): moves its bar and texts as the work goes,
// from the JSON at data-progress-url, and shows the page again once the work is finished.
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
          var bar = document.getElementById('progress-bar');
          bar.style.width = p.percent + '%';
          bar.parentElement.setAttribute('aria-valuenow', p.percent);
        })
        .catch(function () { /* the next tick tries again */ });
    }, 1000);
  }
}());
