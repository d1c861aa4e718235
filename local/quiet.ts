/**
 * Imported first by the local entry points (server, replay, benchmark): the AWS SDK's notice that
 * future versions need Node 22 says nothing about this run and would bury the ready line.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
