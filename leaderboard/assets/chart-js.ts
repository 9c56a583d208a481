/**
 * The one script the site ships: progressive enhancement only. Without it the
 * charts still show (server-rendered SVG with <title> tooltips and links), the
 * filters still submit (a GET form) and every table works. With it: a styled
 * tooltip on hover, keyboard focus and tap, table rows light up their point,
 * and filter selects apply on change. Text is set with textContent, never as HTML.
 */
export const CHART_JS = String.raw`(function(){
"use strict";
// How far (CSS px) from a point's edge a tap still picks it: a fingertip is wider than most markers on a phone.
var TAP_SLOP=24;
function tipFor(box){var t=box.querySelector(".tip");if(!t){t=document.createElement("div");t.className="tip";t.hidden=true;t.setAttribute("role","status");box.appendChild(t);}return t;}
function show(box,pt,hint){var t=tipFor(box);t.textContent="";var lines=(pt._tip||"").split("\n");
for(var i=0;i<lines.length;i++){var d=document.createElement("div");d.textContent=lines[i];if(i===0)d.style.fontWeight="700";t.appendChild(d);}
if(hint){var h=document.createElement("div");h.className="hint";h.textContent=hint;t.appendChild(h);}
t.hidden=false;var b=box.getBoundingClientRect(),r=pt.getBoundingClientRect(),w=t.offsetWidth,h=t.offsetHeight;
var x=r.left-b.left+r.width/2+12,y=r.top-b.top-8;
if(x+w>b.width)x=r.left-b.left-w-12;
// Room on neither side (a phone): centre it over the point, above it when it fits, else below.
if(x<4){x=Math.min(Math.max(4,r.left-b.left+r.width/2-w/2),b.width-w-4);y=r.top-b.top-h-10;if(y<4)y=r.bottom-b.top+10;}
else if(y+h>b.height)y=b.height-h-4;
t.style.left=Math.max(4,x)+"px";t.style.top=Math.max(4,y)+"px";}
function hide(box){var t=box.querySelector(".tip");if(t)t.hidden=true;box._tapped=null;}
function isLink(el){return el.tagName.toLowerCase()==="a";}
/** The point nearest a tap, within TAP_SLOP of its edge; null when none is that close. */
function nearest(pts,x,y){var best=null,bestD=TAP_SLOP;
pts.forEach(function(pt){var r=pt.getBoundingClientRect();if(!r.width)return;
var d=Math.hypot(x-(r.left+r.width/2),y-(r.top+r.height/2))-Math.max(r.width,r.height)/2;if(d<=bestD){best=pt;bestD=d;}});return best;}
var boxes=document.querySelectorAll(".chartbox");
Array.prototype.forEach.call(boxes,function(box){
// Pareto points are links; a scaling chart's points are dots with a <title>.
var pts=Array.prototype.slice.call(box.querySelectorAll(".pt,circle.dot"));
if(pts.length===0)return;
pts.forEach(function(pt){
// Take the <title> over: keep its text as a link's accessible name, drop the native tooltip.
var ti=pt.querySelector("title");pt._tip=ti?ti.textContent:"";if(ti){if(isLink(pt))pt.setAttribute("aria-label",pt._tip.split("\n").join(", "));ti.remove();}
pt.addEventListener("pointerenter",function(e){if(e.pointerType==="mouse")show(box,pt);});
pt.addEventListener("pointerleave",function(e){if(e.pointerType==="mouse")hide(box);});
pt.addEventListener("focus",function(){show(box,pt);});
pt.addEventListener("blur",function(){hide(box);});});
// Touch has no hover: the first tap shows the nearest point's tooltip; a second tap on the same point follows its link.
var touch=false;
box.addEventListener("pointerdown",function(e){touch=e.pointerType!=="mouse";});
// A click that no pointer began (Enter on a focused link) is never a tap.
box.addEventListener("click",function(e){var tap=touch;touch=false;if(!tap)return;var pt=nearest(pts,e.clientX,e.clientY);
if(!pt){hide(box);return;}
if(pt===box._tapped&&isLink(pt))return;
e.preventDefault();show(box,pt,isLink(pt)?"Tap again to open":"");box._tapped=pt;});
box.addEventListener("keydown",function(e){if(e.key==="Escape")hide(box);});});
document.addEventListener("click",function(e){Array.prototype.forEach.call(boxes,function(b){if(!b.contains(e.target))hide(b);});});
var rows=document.querySelectorAll("tr[data-cfg]");
Array.prototype.forEach.call(rows,function(row){var id=row.getAttribute("data-cfg");
function pts(){return document.querySelectorAll('.pt[data-cfg="'+(window.CSS&&CSS.escape?CSS.escape(id):id)+'"]');}
row.addEventListener("mouseenter",function(){Array.prototype.forEach.call(pts(),function(p){p.classList.add("hl");});});
row.addEventListener("mouseleave",function(){Array.prototype.forEach.call(pts(),function(p){p.classList.remove("hl");});});});
var forms=document.querySelectorAll("form[data-autosubmit]");
Array.prototype.forEach.call(forms,function(f){Array.prototype.forEach.call(f.querySelectorAll("select"),function(s){
s.addEventListener("change",function(){
// Leave empty fields out so the URL holds only the state that differs from the defaults.
Array.prototype.forEach.call(f.elements,function(el){if(el.name&&!el.value)el.disabled=true;});f.submit();});});});
})();`;
