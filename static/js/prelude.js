/*
 * Loaded before the Bootstrap Italia bundle. The bundle embeds video.js, which by
 * default injects an inline <style> at load time; our CSP (style-src 'self') blocks
 * it and logs an error. We use no video player, so turn that off.
 */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
