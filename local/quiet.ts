/**
 * Process settings for the local entry points (server, replay, benchmark), imported first:
 * - the AWS SDK's notice that future versions need Node 22 says nothing about this run and would
 *   bury the ready line;
 * - CDK's built-in CloudFormation validation (a WASM engine, about 2 s of every synth) is for
 *   `cdk synth`/deploy; the local runtime only reads the template it synthesizes in-process.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.CDK_VALIDATION ??= 'false';
