/**
 * /assets/desk.js: "Lên" / "Xuống" buttons on each item of the editing desk (keyboard-friendly
 * reordering). A move renumbers the "Thứ tự" boxes in page order, which is what the server reads;
 * without JavaScript the boxes alone do the same.
 */
export const DESK_JS = `(function(){
document.querySelectorAll('ol.desk-items').forEach(function(ol){
function items(){return Array.prototype.filter.call(ol.children,function(li){return li.hasAttribute('data-desk-item')});}
function renumber(){items().forEach(function(li,i){var o=li.querySelector('input[name$=":order"]');if(o)o.value=String(i+1);});}
items().forEach(function(li){var box=li.querySelector('.desk-controls');if(!box)return;
[['up','Lên','Chuyển ý này lên trên'],['down','Xuống','Chuyển ý này xuống dưới']].forEach(function(d){
var b=document.createElement('button');b.type='button';b.className='secondary';b.textContent=d[1];b.setAttribute('aria-label',d[2]);
b.addEventListener('click',function(){var sib=d[0]==='up'?li.previousElementSibling:li.nextElementSibling;if(!sib)return;
if(d[0]==='up')ol.insertBefore(li,sib);else ol.insertBefore(sib,li);renumber();b.focus();});
box.appendChild(b);});});});})();`;

export function deskAsset() {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
    body: DESK_JS,
  };
}
