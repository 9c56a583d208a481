/**
 * The site's only stylesheet, served by the Worker at a content-hashed path
 * (no CDN). Light and dark schemes follow prefers-color-scheme. At phone
 * width (the 640px query) no page is wider than the screen: tables keep
 * their priority columns (.hide-sm and data-priority="low" cells go; each row
 * links to the page with every figure) and scroll inside their own box when
 * still too wide, code scrolls or wraps in its box, the filter form stacks in
 * two columns.
 */
export const SITE_CSS = String.raw`
:root{--bg:#fbfbfa;--fg:#1b1c1e;--muted:#5d6169;--line:#dcdde0;--card:#fff;--accent:#0b5fd0;--accent-fg:#fff;--good:#0f7a3d;--good-bg:#e3f5e9;--warn:#8a5300;--warn-bg:#fff1d6;--pt:#0b5fd0;--pt2:#c0392b;--focus:#f5a300;--c0:#0b5fd0;--c1:#d55e00;--c2:#009e73;--c3:#cc79a7;--c4:#8a6d00;--c5:#56565e;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121316;--fg:#e8e9eb;--muted:#a2a6ae;--line:#32353b;--card:#1b1d21;--accent:#6ea8ff;--accent-fg:#0b1220;--good:#6fd49a;--good-bg:#143322;--warn:#ffc266;--warn-bg:#3a2a0d;--pt:#6ea8ff;--pt2:#ff8a7a;--c0:#6ea8ff;--c1:#ff9a52;--c2:#3fd1a0;--c3:#f0a3d0;--c4:#e8c547;--c5:#c4c6cc}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-9999px;top:0;background:var(--accent);color:var(--accent-fg);padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
header.site{border-bottom:1px solid var(--line);background:var(--card)}
header.site .in,main,footer .in{max-width:1200px;margin:0 auto;padding:0 1rem}
header.site .in{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:center;min-height:3.25rem}
.brand{font-weight:700;font-size:1.1rem;color:var(--fg);text-decoration:none}
nav.top a{margin-right:1rem;text-decoration:none}
nav.top a[aria-current=page]{font-weight:700;text-decoration:underline}
main{padding-top:1rem;padding-bottom:2rem}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
.lede{color:var(--muted);margin:.25rem 0 1rem;max-width:70ch}
.muted{color:var(--muted)}
.views{display:flex;flex-wrap:wrap;gap:.25rem;margin:.5rem 0;padding:0;list-style:none}
.views a{display:inline-block;padding:.35rem .8rem;border:1px solid var(--line);border-radius:999px;text-decoration:none;background:var(--card)}
.views a[aria-current=page]{background:var(--accent);color:var(--accent-fg);border-color:var(--accent)}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:flex-end;margin:.75rem 0;padding:.75rem;border:1px solid var(--line);border-radius:8px;background:var(--card)}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.15rem}
form.filters label.check{flex-direction:row;align-items:center;gap:.3rem}
select,input,button{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.3rem .45rem;min-height:2.1rem}
button,.btn{background:var(--accent);color:var(--accent-fg);border-color:var(--accent);cursor:pointer;text-decoration:none;display:inline-block;padding:.3rem .8rem;border-radius:6px}
.scope-note{padding:.5rem .75rem;border-left:4px solid var(--accent);background:var(--card);margin:.5rem 0}
.tablewrap{position:relative;overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--card)}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.4rem .45rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-size:.8rem;color:var(--muted);font-weight:600;background:var(--card);line-height:1.25}
thead th.n{min-width:5.5rem;max-width:9rem}
tbody th{font-weight:600;text-align:left}
.unit{display:block;font-weight:400;font-size:.75rem}
td.cfg,th.cfg{min-width:12rem;overflow-wrap:anywhere}
thead th.rank{min-width:0}
td.model{min-width:9rem}
td.setup{min-width:14rem}
th a{color:inherit}
th[aria-sort] a{color:var(--fg)}
td.n,th.n{text-align:right}
td.n{white-space:nowrap}
tbody tr:hover{background:color-mix(in srgb,var(--accent) 6%,transparent)}
.sd{display:block;color:var(--muted);font-size:.8rem}
.nm{color:var(--muted);font-style:italic;font-size:.85rem}
.cfg a{font-weight:600}
.cfg .sub,.sub{display:block;color:var(--muted);font-size:.82rem;font-weight:400}
.badge{display:inline-block;font-size:.72rem;padding:.05rem .4rem;border-radius:999px;border:1px solid currentColor;margin-left:.3rem;white-space:nowrap;vertical-align:1px}
.badge.unconfirmed{color:var(--warn);background:var(--warn-bg)}
.badge.pareto{color:var(--good);background:var(--good-bg)}
.badge.declared{color:var(--muted)}
.badge.standard{color:var(--good)}
.badge.throttles{color:var(--warn);background:var(--warn-bg)}
.best{font-weight:700;color:var(--good)}
.best::after{content:" \2605";font-size:.8em}
.pager{display:flex;gap:1rem;align-items:center;margin:.75rem 0}
.chartbox{position:relative;border:1px solid var(--line);border-radius:8px;background:var(--card);padding:.5rem;margin:1rem 0}
.chartbox svg{width:100%;height:auto;display:block}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .axis text,.chart text{fill:var(--muted);font-size:12px}
.chart .pt circle{fill:var(--pt);fill-opacity:.35;stroke:var(--pt);stroke-width:1.2}
.chart .pt.on circle{fill:var(--pt2);fill-opacity:.55;stroke:var(--pt2);stroke-width:2}
.chart .pt.nosize circle{stroke-dasharray:3 2;fill-opacity:.1}
.chart .pt:hover circle,.chart .pt:focus circle,.chart .pt.hl circle{stroke:var(--focus);stroke-width:3;fill-opacity:.8}
.chart .pt:focus{outline:none}
.chart .front{fill:none;stroke:var(--pt2);stroke-width:1.5;stroke-dasharray:6 4}
.tip{position:absolute;pointer-events:none;background:var(--fg);color:var(--bg);padding:.4rem .6rem;border-radius:6px;font-size:.8rem;max-width:min(20rem,calc(100% - 8px));z-index:5;box-shadow:0 2px 8px #0004}
.tip[hidden]{display:none}
.tip .hint{opacity:.8;font-style:italic;margin-top:.2rem}
.axes-note{display:none}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;font-size:.82rem;color:var(--muted);margin:.25rem .25rem 0}
.key{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;border:2px solid var(--pt);vertical-align:-1px;margin-right:.3rem}
.key.on{border-color:var(--pt2);background:var(--pt2)}
.key.line{border:0;border-top:2px dashed var(--pt2);border-radius:0;height:0;vertical-align:3px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.75rem}
.cards.wide{grid-template-columns:repeat(auto-fill,minmax(min(100%,26rem),1fr))}
table.reps th,table.reps td{padding:.2rem .45rem}
.card{border:1px solid var(--line);border-radius:8px;background:var(--card);padding:.75rem}
.card>h3:first-child{margin-top:0}
section.card{margin:1.5rem 0}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .9rem;margin:0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0;overflow-wrap:anywhere}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
:not(pre)>code{overflow-wrap:anywhere}
pre{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.75rem;overflow-x:auto;white-space:pre;max-width:100%}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;font-size:.85rem}
.empty{border:2px dashed var(--line);border-radius:8px;padding:1rem 1.25rem;background:var(--card)}
.runchart .grid{stroke:var(--line);stroke-width:1}
.runchart .axis{stroke:var(--muted);stroke-width:1}
.runchart text{fill:var(--muted);font-size:12px}
.runchart text.ptitle{fill:var(--fg);font-weight:600}
.runchart .line{fill:none;stroke-width:2;stroke-linejoin:round}
.runchart .thr,.key.thr{fill:var(--warn-bg);background:var(--warn-bg);border:1px solid var(--warn);border-radius:2px}
.runchart .s0,.key.s0{stroke:var(--c0);fill:var(--c0);border-color:var(--c0)}
.runchart .s1,.key.s1{stroke:var(--c1);fill:var(--c1);border-color:var(--c1)}
.runchart .s2,.key.s2{stroke:var(--c2);fill:var(--c2);border-color:var(--c2)}
.runchart .s3,.key.s3{stroke:var(--c3);fill:var(--c3);border-color:var(--c3)}
.runchart .s4,.key.s4{stroke:var(--c4);fill:var(--c4);border-color:var(--c4)}
.runchart .s5,.key.s5{stroke:var(--c5);fill:var(--c5);border-color:var(--c5)}
.runchart path.line{fill:none}
.key.line.s0,.key.line.s1,.key.line.s2,.key.line.s3,.key.line.s4,.key.line.s5{border-top-style:solid;border-top-width:3px}
.runchart circle.dot{stroke:var(--card);stroke-width:1.5}
.legend .remark{flex-basis:100%}
.rundata .skipped{color:var(--warn)}
.cards .card.full{grid-column:1/-1}
.cards.lead{grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr))}
dl.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem 1rem;margin:0 0 .5rem}
.fig dt{color:var(--muted);font-size:.82rem;line-height:1.25}
.fig dd{margin:.15rem 0 0}
.fig .big{font-size:1.6rem;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}
.cfg .sm-only,.sm-only{display:none}
.runbox svg{max-width:60rem}
.rundata{margin:.25rem}
.rundata table{margin-bottom:.5rem}
.rundata caption{text-align:left;font-weight:600;padding:.3rem .45rem}
footer{border-top:1px solid var(--line);color:var(--muted);font-size:.85rem;padding:1rem 0}
@media (max-width:640px){
body{font-size:14px}h1{font-size:1.25rem}
header.site .in,main,footer .in{padding:0 .75rem}
nav.top a{margin-right:.75rem}
.chart .axis text,.chart text{font-size:22px}.runchart text{font-size:18px}.chart text.atitle{display:none}.axes-note{display:inline}
th,td{padding:.35rem .4rem}thead th.n{min-width:4.5rem}thead th.n.rank{min-width:0}td.cfg,th.cfg{min-width:8.5rem}td.model,td.setup{min-width:0}
.hide-sm,.cfg .hide-sm,[data-priority=low]{display:none}.cfg .sm-only,.sm-only{display:block}
form.filters{padding:.6rem}form.filters label{flex:1 1 40%;min-width:0}form.filters select{width:100%}
.cards{grid-template-columns:minmax(0,1fr)}
dl.kv{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
dl.figs{grid-template-columns:repeat(2,minmax(0,1fr))}
.fig .big{font-size:1.35rem}
#compare td.n{white-space:normal;overflow-wrap:break-word}
#compare th.n,#compare td.n{min-width:6.5rem}
#compare tr>:first-child{position:sticky;left:0;z-index:1;background:var(--card);min-width:7.5rem;max-width:8.5rem}
}
/* ranking: the constraints as one wrapping row of small inputs; a setup's folded sweep */
form.filters fieldset.constraints{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:flex-end;flex:1 1 100%;margin:0;padding:.4rem .6rem;border:1px solid var(--line);border-radius:6px}
form.filters fieldset.constraints legend{font-size:.8rem;color:var(--muted)}
form.filters fieldset.constraints input{width:7rem}
details.sweep{font-size:.8rem;margin-top:.2rem}details.sweep ul{margin:.2rem 0 0;padding-left:1.1rem}
`;
