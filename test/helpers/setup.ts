// Loaded by mocha before every test file (.mocharc.json "require").
// The AWS SDK warns on Node 20 about its 2027 support window; the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
