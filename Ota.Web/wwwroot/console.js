// Marks the page once the console's circuit has rendered it interactively (before that, typing is lost on hydration).
window.otaConsole = {
    markInteractive: () => document.body.setAttribute('data-interactive', 'true'),
    // Live pages skip their refresh while the tab is hidden: nobody is looking.
    isVisible: () => document.visibilityState !== 'hidden',
};
