// Image page: more ways to give the form its photo (the phone's camera, the desktop's through
// getUserMedia, paste, drop), a preview before sending and a spinner while the model works.
// Every way ends in the form's own file input, so the form posts as it does without JavaScript.
(function () {
  'use strict';

  var zone = document.getElementById('photo-drop');
  var form = document.getElementById('upload-form');
  var input = document.getElementById('image');
  if (!zone || !form || !input) {
    return;
  }
  var texts = zone.dataset;
  var byId = function (id) { return document.getElementById(id); };
  var message = byId('photo-message');
  var previewUrl = null;
  var stream = null;

  input.addEventListener('change', function () {
    hideMessage();
    showPreview(input.files[0]);
  });
  // a format the browser cannot draw (HEIC) keeps its name and size, without a picture
  if (byId('preview-image')) {
    byId('preview-image').addEventListener('error', function (event) { event.target.hidden = true; });
  }
  // a photo the browser kept in the form when it came back to the page
  if (input.files.length) {
    showPreview(input.files[0]);
  }

  form.addEventListener('submit', function () {
    // the browser checked the required input before this event: the photo is on its way
    stopCamera();
    var button = byId('upload-submit');
    var status = byId('upload-status');
    if (button) {
      button.disabled = true;
    }
    if (status) {
      status.hidden = false;
    }
    if (byId('upload-waiting')) {
      byId('upload-waiting').textContent = texts.waiting;
    }
  });

  // Back from the answer, the browser may show this page as it was left: busy.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) {
      var button = byId('upload-submit');
      if (button) {
        button.disabled = false;
      }
      if (byId('upload-status')) {
        byId('upload-status').hidden = true;
      }
    }
  });

  // Only a browser that lets a script fill a file input gets the other ways in.
  var fillable = true;
  try {
    new DataTransfer().items.add(new File([''], 'probe.txt'));
  } catch (unsupported) {
    fillable = false;
  }
  if (!fillable) {
    return;
  }

  show('drop-hint');
  zone.addEventListener('dragover', function (event) {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', function (event) {
    if (!zone.contains(event.relatedTarget)) {
      zone.classList.remove('dragging');
    }
  });
  zone.addEventListener('drop', function (event) {
    event.preventDefault();
    zone.classList.remove('dragging');
    take(event.dataTransfer && event.dataTransfer.files[0]);
  });

  // a paste without a file (text into a field) is left alone
  document.addEventListener('paste', function (event) {
    var file = event.clipboardData && event.clipboardData.files[0];
    if (file) {
      event.preventDefault();
      take(file);
    }
  });

  // A phone's own camera application, through the capture input; on a desktop, where capture
  // only opens a file chooser, the camera is shown in the page instead.
  var camera = byId('camera-capture');
  if (window.matchMedia && window.matchMedia('(pointer: coarse)').matches) {
    if (camera && show('camera-take')) {
      byId('camera-take').addEventListener('click', function () { camera.click(); });
      camera.addEventListener('change', function () {
        take(camera.files[0]);
        camera.value = ''; // the next photo is a change too
      });
    }
  } else if (window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia
      && ['camera-panel', 'camera-video', 'camera-shoot', 'camera-close'].every(byId) && show('camera-open')) {
    byId('camera-open').addEventListener('click', startCamera);
    byId('camera-shoot').addEventListener('click', shoot);
    byId('camera-close').addEventListener('click', stopCamera);
  }

  function startCamera() {
    hideMessage();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(function (opened) {
        stopCamera();
        stream = opened;
        byId('camera-video').srcObject = stream;
        byId('camera-panel').hidden = false;
        byId('camera-open').hidden = true;
      })
      .catch(function (error) {
        var name = error && error.name;
        if (name === 'NotAllowedError' || name === 'SecurityError') {
          showMessage(texts.cameraDenied);
        } else if (name === 'NotFoundError' || name === 'OverconstrainedError') {
          showMessage(texts.cameraMissing);
        } else {
          showMessage(texts.cameraFailed);
        }
      });
  }

  function shoot() {
    var video = byId('camera-video');
    if (!video.videoWidth) {
      return; // no frame yet
    }
    var canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      if (blob) {
        var taken = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
        take(new File([blob], 'camera-' + taken + '.jpg', { type: 'image/jpeg' }));
        stopCamera();
      }
    }, 'image/jpeg', 0.92);
  }

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    if (byId('camera-panel') && byId('camera-video')) {
      byId('camera-panel').hidden = true;
      byId('camera-video').srcObject = null;
    }
    if (byId('camera-open') && byId('camera-open').hasAttribute('data-shown')) {
      byId('camera-open').hidden = false;
    }
  }

  // Puts a file into the form's input; the server still checks everything this lets through.
  function take(file) {
    if (!file) {
      return;
    }
    if (file.type.indexOf('image/') !== 0) {
      showMessage(fill(texts.notAnImage, file.name));
      return;
    }
    var transfer = new DataTransfer();
    transfer.items.add(file.name ? file : new File([file], 'pasted.' + file.type.slice(6), { type: file.type }));
    input.files = transfer.files;
    hideMessage();
    showPreview(input.files[0]);
  }

  function showPreview(file) {
    var preview = byId('photo-preview');
    var image = byId('preview-image');
    if (!preview || !image) {
      return;
    }
    if (previewUrl) {
      URL.revokeObjectURL(previewUrl);
      previewUrl = null;
    }
    preview.hidden = !file;
    if (!file) {
      return;
    }
    previewUrl = URL.createObjectURL(file);
    image.hidden = false;
    image.src = previewUrl;
    if (byId('preview-caption')) {
      byId('preview-caption').textContent = fill(texts.previewCaption, file.name, size(file.size));
    }
  }

  function size(bytes) {
    var number = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 });
    return bytes < 1024 * 1024
      ? fill(texts.kilobytes, number.format(Math.max(bytes / 1024, 0.1)))
      : fill(texts.megabytes, number.format(bytes / (1024 * 1024)));
  }

  // A message's {0}, {1}, in one pass: a file name may hold "{1}" or "$&" itself.
  function fill(pattern) {
    var values = arguments;
    return (pattern || '').replace(/\{(\d)\}/g, function (placeholder, index) {
      return String(values[Number(index) + 1]);
    });
  }

  function show(id) {
    var element = byId(id);
    if (element) {
      element.hidden = false;
      element.setAttribute('data-shown', '');
    }
    return element;
  }

  function showMessage(text) {
    if (message) {
      message.textContent = text;
      message.hidden = false;
    }
  }

  function hideMessage() {
    if (message) {
      message.hidden = true;
    }
  }
}());
