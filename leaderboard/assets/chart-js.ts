/**
 * The one script the site ships: progressive enhancement only. Without it the
 * chart still shows (server-rendered SVG with <title> tooltips and links), the
 * filters still submit (a GET form) and every table works. With it: a styled
 * tooltip on hover and keyboard focus, table rows light up their point, and
 * filter selects apply on change. Text is set with textContent, never as HTML.
 */
export const CHART_JS = String.raw`(function(){
"use strict";
function tipFor(box){var t=box.querySelector(".tip");if(!t){t=document.createElement("div");t.className="tip";t.hidden=true;t.setAttribute("role","status");box.appendChild(t);}return t;}
function show(box,pt){var t=tipFor(box);t.textContent="";var lines=(pt._tip||"").split("\n");
for(var i=0;i<lines.length;i++){var d=document.createElement("div");d.textContent=lines[i];if(i===0)d.style.fontWeight="700";t.appendChild(d);}
t.hidden=false;var b=box.getBoundingClientRect(),r=pt.getBoundingClientRect();var x=r.left-b.left+r.width/2+12,y=r.top-b.top-8;
if(x+t.offsetWidth>b.width)x=Math.max(4,r.left-b.left-t.offsetWidth-12);if(y+t.offsetHeight>b.height)y=b.height-t.offsetHeight-4;
t.style.left=x+"px";t.style.top=Math.max(4,y)+"px";}
function hide(box){var t=box.querySelector(".tip");if(t)t.hidden=true;}
var boxes=document.querySelectorAll(".chartbox");
Array.prototype.forEach.call(boxes,function(box){
var pts=box.querySelectorAll(".pt");
Array.prototype.forEach.call(pts,function(pt){
// Take the <title> over: keep its text as the accessible name, drop the native tooltip.
var ti=pt.querySelector("title");pt._tip=ti?ti.textContent:"";if(ti){pt.setAttribute("aria-label",pt._tip.split("\n").join(", "));ti.remove();}
pt.addEventListener("mouseenter",function(){show(box,pt);});
pt.addEventListener("focus",function(){show(box,pt);});
pt.addEventListener("mouseleave",function(){hide(box);});
pt.addEventListener("blur",function(){hide(box);});});
box.addEventListener("keydown",function(e){if(e.key==="Escape")hide(box);});});
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
