/**
 * /assets/live.js: keeps a page's #live block current without a reload. It re-fetches the
 * page every few seconds while #live carries data-poll, and swaps <main> when the block
 * changed. Without JavaScript the page offers a "Làm mới" link instead.
 */
export const LIVE_JS = `(function(){
var live=document.getElementById('live');if(!live||!live.getAttribute('data-poll'))return;
var last=live.outerHTML,busy=false,n=0;
function tick(){if(busy||document.hidden)return;busy=true;n++;
fetch(location.pathname,{headers:{accept:'text/html'},credentials:'same-origin'}).then(function(r){return r.ok?r.text():null}).then(function(t){busy=false;if(!t)return;
var doc=new DOMParser().parseFromString(t,'text/html');var nl=doc.getElementById('live');var nm=doc.querySelector('main');var m=document.querySelector('main');
if(!nl||!nm||!m)return;if(nl.outerHTML!==last){var a=document.activeElement&&document.activeElement.id;m.innerHTML=nm.innerHTML;last=nl.outerHTML;if(a&&document.getElementById(a))document.getElementById(a).focus();}
if(!nl.getAttribute('data-poll'))clearInterval(timer);}).catch(function(){busy=false});
if(n>600)clearInterval(timer);}
var timer=setInterval(tick,2000);})();`;
