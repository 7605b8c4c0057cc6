// Forms that send one large file as the request body, with upload progress (the training zip, a Keras model, a zip
// of photos for a batch). Without this script such a form posts multipart, held to the server's smaller limit for
// forms; the body upload has a limit of its own, which the form states in data-max-bytes. A form marked
// data-body-upload-only="zip" sends its body so only when one zip is chosen (several photos go as the form).
(function () {
  'use strict';

  document.querySelectorAll('form[data-body-upload]').forEach(function (form) {
    var fileInput = form.querySelector('input[type=file]');
    var submit = form.querySelector('button[type=submit]');
    var errorBox = document.getElementById('upload-error');
    var progress = document.getElementById('upload-progress');
    var bar = document.getElementById('upload-bar');

    form.addEventListener('submit', function (event) {
      var file = fileInput.files[0];
      if (!file) {
        return; // the browser's own "required" message
      }
      if (form.dataset.bodyUploadOnly === 'zip' && (fileInput.files.length !== 1 || !/\.zip$/i.test(file.name))) {
        return; // photos: the form as it is
      }
      event.preventDefault();
      errorBox.classList.add('d-none');
      if (file.size > Number(form.dataset.maxBytes)) {
        showError(form.dataset.tooLarge);
        return;
      }
      // the other fields travel in the query; the file's own name too when the server asks for it
      var query = new URLSearchParams();
      (form.dataset.fields || '').split(',').filter(Boolean).forEach(function (field) {
        query.append(field, form.elements[field].value);
      });
      if (form.dataset.fileNameParam) {
        query.append(form.dataset.fileNameParam, file.name);
      }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action.split('?')[0] + '?' + query.toString());
      xhr.setRequestHeader('Content-Type', form.dataset.bodyUpload);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader(form.dataset.csrfHeader, form.dataset.csrfToken);
      progress.classList.remove('d-none');
      submit.disabled = true;
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) {
          var percent = Math.round(100 * e.loaded / e.total);
          bar.style.width = percent + '%';
          bar.parentElement.setAttribute('aria-valuenow', percent);
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
    });

    function showError(text) {
      errorBox.textContent = text;
      errorBox.classList.remove('d-none');
      progress.classList.add('d-none');
      submit.disabled = false;
    }
  });
}());
