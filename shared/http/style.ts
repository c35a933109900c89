/**
 * The one stylesheet of every page, served as /assets/app.css. Government-portal look:
 * a red-and-navy header band, plain white cards, no default browser controls; phone first
 * (tables marked .stack become one card per row under 40rem).
 */
export const APP_CSS = `
:root{--red:#a3161a;--navy:#12355b;--ink:#1b1f24;--muted:#555d66;--line:#d4d8dd;--bg:#f4f5f7;--ok:#0f6b2f;--okbg:#e8f5ec;--warn:#7a4d00;--warnbg:#fff5e0;--err:#a3161a;--errbg:#fdecec;--info:#12355b;--infobg:#eaf1f9}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 "Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
a{color:var(--navy)}a:hover{color:var(--red)}
:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
.site-header{background:var(--red);color:#fff;border-bottom:4px solid #e0b040}
.site-header .inner{max-width:68rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;justify-content:space-between}
.org{color:#fff;text-decoration:none;display:block;line-height:1.25}
.org .parent{font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;opacity:.9;display:block}
.org .agency{font-size:1.1rem;font-weight:700;text-transform:uppercase;display:block}
.org .app{font-size:.85rem;display:block}
.who{font-size:.9rem;display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.who form{margin:0}.who .btn{background:transparent;border-color:#fff;color:#fff;padding:.25rem .7rem;min-height:2rem}
.site-nav{background:var(--navy)}
.site-nav ul{max-width:68rem;margin:0 auto;padding:0 .5rem;list-style:none;display:flex;flex-wrap:wrap}
.site-nav a{display:block;color:#fff;text-decoration:none;padding:.55rem .8rem}
.site-nav a:hover,.site-nav a[aria-current=page]{background:rgba(255,255,255,.15)}
main{display:block;max-width:68rem;margin:0 auto;padding:1rem}
.crumbs{font-size:.9rem;color:var(--muted);margin:0 0 .5rem}
.crumbs ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap}
.crumbs li+li::before{content:"›";padding:0 .4rem}
h1{font-size:1.45rem;color:var(--navy);margin:.3rem 0 .8rem;line-height:1.3}
h2{font-size:1.15rem;color:var(--navy);margin:1.4rem 0 .5rem}
.card,.box{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin:1rem 0}
.card>:first-child,.box>:first-child{margin-top:0}
.btn,button,input[type=submit]{display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:2.75rem;padding:.5rem 1.1rem;border:1px solid var(--navy);border-radius:4px;background:var(--navy);color:#fff;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;-webkit-appearance:none;appearance:none}
.btn:hover,button:hover{filter:brightness(1.15)}
button:disabled{opacity:.55;cursor:not-allowed}
.btn-secondary,button.secondary{background:#fff;color:var(--navy)}
.btn-danger,button.danger{background:var(--red);border-color:var(--red)}
.btn-link,button.link{background:none;border:none;color:var(--navy);text-decoration:underline;padding:0;min-height:auto;font-weight:400}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.8rem 0}
label{display:block;margin:.6rem 0 .25rem;font-weight:600}
input[type=text],input[type=email],input:not([type]),input[type=number],select,textarea{display:block;width:100%;max-width:32rem;font:inherit;padding:.5rem .6rem;border:1px solid #8a9199;border-radius:4px;background:#fff;color:var(--ink);-webkit-appearance:none;appearance:none}
textarea{max-width:100%;min-height:5rem}
input[type=checkbox],input[type=radio]{width:1.15rem;height:1.15rem;accent-color:var(--navy);vertical-align:-.15rem;margin-right:.4rem}
label.check{font-weight:400;display:flex;align-items:flex-start;gap:.2rem;margin:.35rem 0}
input[type=file]{font:inherit;max-width:100%}
fieldset{border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem;background:#fff;min-width:0}
legend{font-weight:700;color:var(--navy);padding:0 .3rem}
.req{color:var(--err);font-weight:700}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid var(--line);padding:.45rem .6rem;text-align:left;vertical-align:top}
thead th{background:#eef1f5;color:var(--navy)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{max-width:100%;overflow-x:auto}
.alert{border-left:5px solid var(--info);background:var(--infobg);padding:.7rem 1rem;margin:1rem 0;border-radius:0 4px 4px 0}
.alert>:first-child{margin-top:0}.alert>:last-child{margin-bottom:0}
.alert-ok{border-color:var(--ok);background:var(--okbg)}
.alert-warn{border-color:#c58a00;background:var(--warnbg)}
.alert-err{border-color:var(--err);background:var(--errbg)}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.85rem;font-weight:600;background:#e5e8ec;color:var(--ink);white-space:nowrap}
.badge-ok{background:var(--okbg);color:var(--ok)}.badge-warn{background:var(--warnbg);color:var(--warn)}.badge-err{background:var(--errbg);color:var(--err)}.badge-info{background:var(--infobg);color:var(--info)}
.ok{color:var(--ok)}.err{color:var(--err)}.warn{color:var(--warn)}
.muted{color:var(--muted);font-size:.92rem}
details{margin:.3rem 0}summary{cursor:pointer;color:var(--navy)}
details .tech{font-family:ui-monospace,Consolas,monospace;font-size:.8rem;word-break:break-all;color:var(--muted)}
.steps{list-style:none;padding:0;margin:1rem 0;display:flex;flex-wrap:wrap;gap:.4rem}
.steps li{padding:.35rem .7rem;border-radius:4px;background:#e5e8ec;font-size:.92rem}
.steps li.done{background:var(--okbg);color:var(--ok)}
.steps li.current{background:var(--navy);color:#fff;font-weight:600}
.steps li.failed{background:var(--errbg);color:var(--err);font-weight:600}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.6rem;margin:1rem 0;padding:0;list-style:none}
.figures li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem}
.figures b{display:block;font-size:1.3rem;color:var(--navy)}
.site-footer{max-width:68rem;margin:2rem auto 1rem;padding:0 1rem;color:var(--muted);font-size:.85rem}
.sr{position:absolute;left:-9999px}
.field{margin:.9rem 0}.field input{max-width:14rem}
.help{color:var(--muted);font-size:.9rem;margin:.1rem 0 .3rem}
.field-error{margin:.25rem 0;font-weight:600}.field-error:empty{display:none}
.field-error .err,.field-error.err{color:var(--err)}.field-error .warn{color:var(--warn)}
[aria-invalid=true]{border:2px solid var(--err)!important;background:#fff7f7}
.form-table input{width:100%;min-width:6rem;max-width:none;font:inherit;padding:.4rem;border:1px solid #8a9199;border-radius:4px}
.form-table td{min-width:0}
#summary:empty{display:none}#summary{border:2px solid var(--err);background:var(--errbg);padding:.5rem 1rem;border-radius:4px}
#result{white-space:pre-line}#result:empty{display:none}
.receipt{border:2px solid var(--ok);background:var(--okbg);border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.receipt dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.4rem 0 0}.receipt dt{font-weight:600}.receipt dd{margin:0}
.notice{background:var(--infobg);border-left:4px solid var(--info);padding:.5rem 1rem}
.section-menu ol{margin:.3rem 0 0;padding-left:1.3rem}
.send-bar{position:sticky;bottom:0;background:var(--bg);padding:.5rem 0;z-index:2}
.send-bar button{min-width:12rem}
/* The document itself (shared/document/html.ts): a sheet of paper in Times, Decree 30 layout. */
.doc{background:#fff;border:1px solid var(--line);border-radius:4px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:1.5rem 1.5rem 2rem 2.2rem;margin:1rem 0;font:17px/1.45 "Times New Roman","Liberation Serif","Tinos",Times,serif;color:#000;max-width:52rem;overflow-wrap:break-word}
.doc p{margin:0}
.doc-draft{margin:0 0 .6rem!important;color:#a3161a;font-style:italic}
.doc-draft-mark{display:inline-block;border:2px solid #a3161a;padding:0 .4rem;font-style:normal;font-weight:700;letter-spacing:.05em}
.doc-gap{color:#a3161a;font-style:italic;margin:0 0 .8rem!important}
.doc-header{display:flex;flex-wrap:wrap;gap:.6rem 1rem;justify-content:space-between;text-align:center;font-size:.93em}
.doc-header-left{flex:1 1 14rem}.doc-header-right{flex:1.6 1 18rem}
.doc-agency,.doc-nation{font-weight:700}
.doc-agency::after,.doc-motto::after{content:"";display:block;margin:.15rem auto .4rem;border-top:1px solid #000}
.doc-agency::after{width:5rem}.doc-motto::after{width:12rem}
.doc-motto{font-weight:700}
.doc-date{font-style:italic}
h1.doc-title,h2.doc-title,h3.doc-title,h4.doc-title,h5.doc-title{font:inherit;color:inherit;text-align:center;font-weight:700;margin:1.3rem 0 .4rem}
.doc-kind{display:block}.doc-subject{display:block}
.doc-title::after{content:"";display:block;width:8rem;margin:.3rem auto 0;border-top:1px solid #000}
.doc-addressee{text-align:center;margin:.8rem 0!important}
.doc-p,.doc-empty{text-align:justify;text-indent:2.2em;margin:0 0 .35rem!important}
.doc-empty{font-style:italic;color:#555}
.doc .doc-h{font:inherit;color:inherit;font-weight:700;text-align:justify;text-indent:2.2em;margin:.5rem 0 .35rem}
.doc-table-wrap{max-width:100%;overflow-x:auto;margin:.4rem 0 .8rem;-webkit-overflow-scrolling:touch}
.doc-table-wrap:focus-visible{outline:3px solid #1a56db}
.doc-table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff;line-height:1.3}
.doc-table th,.doc-table td{border:1px solid #000;padding:.2rem .3rem;vertical-align:top;color:#000;background:#fff;text-align:left;overflow-wrap:break-word;hyphens:auto}
.doc-table th{font-weight:700;text-align:center;vertical-align:middle}
.doc-table .doc-c{text-align:center;vertical-align:middle}.doc-table .doc-r{text-align:right;vertical-align:middle;font-variant-numeric:tabular-nums}.doc-table .doc-b{font-weight:700}
.doc-total th{text-align:center}
.doc-caption{position:absolute;left:-9999px}
.doc-sign{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;margin-top:1rem}
.doc-recipients{flex:1 1 13rem;font-size:.8em}.doc-recipients-head{font-size:1.1em}
.doc-signer{flex:1.4 1 15rem;text-align:center;font-weight:700}
.doc-annex{margin-top:2rem;padding-top:1rem;border-top:1px dashed #777}
.doc-annex-label,.doc-annex-title{text-align:center;font-weight:700;margin:0!important}
.doc-annex-note{text-align:center;font-style:italic;margin:0 0 .6rem!important}
@media (max-width:40rem){.doc{padding:1rem .8rem 1.5rem;font-size:16px}.doc-p,.doc-empty,.doc .doc-h{text-indent:1.2em;text-align:left}}
.desk-item{background:#fff;border:1px solid var(--line);border-left:4px solid var(--line);border-radius:4px;padding:.5rem .8rem;margin:.6rem 0;list-style:none}
.desk-item.dropped{opacity:.75;border-left-style:dashed}.desk-item.flagged{border-left-color:#c58a00;background:var(--warnbg)}.desk-item.edited{border-left-color:var(--navy)}
.desk-items{padding:0;margin:0}
.desk-controls{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:center}
.desk-controls label{margin:.2rem 0}.desk-controls .order{display:flex;align-items:center;gap:.4rem}.desk-controls .order input{width:4.5rem;max-width:4.5rem;display:inline-block}
.changes li{margin:.25rem 0}.changes del{color:var(--err)}.changes ins{color:var(--ok);text-decoration:none}
@media (max-width:40rem){
 main{padding:.6rem}
 h1{font-size:1.25rem}
 table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th[scope=row]{display:block;width:100%}
 table.stack thead{position:absolute;left:-9999px}
 table.stack tr{border:1px solid var(--line);border-radius:6px;margin:.6rem 0;background:#fff}
 table.stack td,table.stack th[scope=row]{border:none;border-bottom:1px solid #eceff2}
 table.stack td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;font-weight:600;color:var(--muted)}
 .actions>*{flex:1 1 auto}
 .field input{max-width:100%}
 .send-bar button{width:100%}
 .form-table th[scope=row]{background:#eef1f5}
 .form-table th[scope=row]::before{content:"Dòng "}
}
`;
