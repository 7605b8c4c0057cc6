// Training pages: send the zip with upload progress, then follow the run until it ends.
(function () {
  'use strict';

  var form = document.getElementById('training-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      var file = document.getElementById('archive').files[0];
      if (!file) {
        return; // the browser's own "required" message
      }
      event.preventDefault();
      var errorBox = document.getElementById('upload-error');
      var progress = document.getElementById('upload-progress');
      var bar = document.getElementById('upload-bar');
      errorBox.classList.add('d-none');
      if (file.size > Number(form.dataset.maxBytes)) {
        showError(form.dataset.tooLarge);
        return;
      }
      var query = new URLSearchParams();
      ['name', 'titleEn', 'titleFr', 'baseModel'].forEach(function (field) {
        query.append(field, form.elements[field].value);
      });
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action.split('?')[0] + '?' + query.toString());
      xhr.setRequestHeader('Content-Type', 'application/zip');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader(form.dataset.csrfHeader, form.dataset.csrfToken);
      progress.classList.remove('d-none');
      document.getElementById('train-submit').disabled = true;
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) {
          bar.style.width = Math.round(100 * e.loaded / e.total) + '%';
        }
      });
      xhr.addEventListener('load', function () {
        var answer = {};
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (ignored) {
          answer = {};
        }
        if (xhr.status === 201 && answer.location) {
          window.location.assign(answer.location);
        } else {
          showError(answer.detail || form.dataset.failed.replace('{0}', xhr.status + ' ' + xhr.statusText));
        }
      });
      xhr.addEventListener('error', function () {
        showError(form.dataset.failed.replace('{0}', 'network'));
      });
      xhr.send(file);

      function showError(text) {
        errorBox.textContent = text;
        errorBox.classList.remove('d-none');
        progress.classList.add('d-none');
        document.getElementById('train-submit').disabled = false;
      }
    });
  }

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
