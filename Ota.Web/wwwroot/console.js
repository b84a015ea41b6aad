// Marks the page once the console's circuit has rendered it interactively (before that, typing is lost on hydration).
window.otaConsole = {
    markInteractive: () => document.body.setAttribute('data-interactive', 'true'),
    // Live pages skip their refresh while the tab is hidden: nobody is looking.
    isVisible: () => document.visibilityState !== 'hidden',
};

// Package-file uploads (Packages page): a drop zone and a file input send the file with a streamed PUT, reporting
// progress to the page. XMLHttpRequest, because fetch has no upload progress.
window.otaFiles = {
    attach: (zone, input, page) => {
        const send = (file) => {
            const key = zone.getAttribute('data-package-key');
            if (!key || !file) return;
            const xhr = new XMLHttpRequest();
            xhr.open('PUT', '/console/files/' + encodeURIComponent(key) + '?name=' + encodeURIComponent(file.name));
            xhr.setRequestHeader('X-Ota-Console', '1');
            xhr.setRequestHeader('Content-Type', 'application/octet-stream');
            let last = 0;
            xhr.upload.onprogress = (e) => {
                const now = Date.now();
                if (now - last < 200 && e.loaded < e.total) return;
                last = now;
                page.invokeMethodAsync('UploadProgress', e.loaded, e.total);
            };
            xhr.onload = () => page.invokeMethodAsync('UploadDone', xhr.status, xhr.responseText);
            xhr.onerror = () => page.invokeMethodAsync('UploadDone', 0, 'The connection was lost during the upload.');
            page.invokeMethodAsync('UploadStarted', file.name, file.size);
            xhr.send(file);
        };
        // Attached once per element: the page calls again when the chosen package changes, and the key is read at send time.
        if (!input.otaAttached) {
            input.otaAttached = true;
            input.addEventListener('change', () => { if (input.files.length > 0) send(input.files[0]); input.value = ''; });
        }
        if (zone.otaAttached) return;
        zone.otaAttached = true;
        zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('ota-drop-over'); });
        zone.addEventListener('dragleave', () => zone.classList.remove('ota-drop-over'));
        zone.addEventListener('drop', (e) => {
            e.preventDefault();
            zone.classList.remove('ota-drop-over');
            if (e.dataTransfer.files.length > 0) send(e.dataTransfer.files[0]);
        });
    },
};
