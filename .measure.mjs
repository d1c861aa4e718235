import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
const entries = process.argv.slice(2);
for (const e of entries) {
  const r = await esbuild.build({ entryPoints:[e], bundle:true, platform:'node', target:'node22', format:'cjs', minify:true, sourcemap:true, external:['@aws-sdk/*'], write:false, outfile:'/tmp/x/index.js', metafile:true, logLevel:'error' });
  const js = r.outputFiles.find(f=>f.path.endsWith('.js'));
  const inputs = Object.entries(r.metafile.outputs['/tmp/x/index.js'] ? r.metafile.outputs['/tmp/x/index.js'].inputs : Object.values(r.metafile.outputs).find(o=>o.entryPoint).inputs);
  const byPkg = {};
  for (const [p, v] of inputs) { const m = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/); const k = m? m[1] : p.split('/').slice(0,2).join('/'); byPkg[k]=(byPkg[k]||0)+v.bytesInOutput; }
  const top = Object.entries(byPkg).sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>`${k}:${(v/1024).toFixed(0)}K`).join(' ');
  console.log(e, js.contents.length, gzipSync(js.contents).length, top);
}
