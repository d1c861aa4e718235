import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints:[process.argv[2]], bundle:true, platform:'node', target:'node22', format:process.argv[3]||'cjs', minify:true, external:['@aws-sdk/*'], write:false, outfile:'/tmp/x/index.js', metafile:true, logLevel:'error' });
const out = Object.values(r.metafile.outputs).find(o=>o.entryPoint);
console.log('total', out.bytes);
for (const [p,v] of Object.entries(out.inputs).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput).slice(0, +process.argv[4]||40)) console.log(v.bytesInOutput, p);
