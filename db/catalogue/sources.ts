/**
 * The public sources the board catalogue cites, keyed by their number in the
 * compiled source list ("1", "4b", "35d", ...), so a figure's citation reads
 * the same here as in the research behind it.
 *
 * `url` is the public page where one was given; a file in a public repository
 * read at a known commit links to that commit, so the link shows what was read
 * even after the file moves. `url: null` only where the material is public but
 * its location was never identified; the title then says what it is.
 * Board pages show these to users, so nothing here points at internal notes.
 */
import type { SourceId } from "./boards.js";

export interface Source {
  id: SourceId;
  title: string;
  url: string | null;
}

const RPI_DOCS = "https://github.com/raspberrypi/documentation/blob";
const RADXA_DOCS = "https://github.com/radxa-docs/docs/blob/3db5c0c/i18n/en/docusaurus-plugin-content-docs/current";
const LATTEPANDA_DOCS = "https://github.com/LattePandaTeam/Docs/blob/f311c77/docs";
const LATTEPANDA_GUIDES = `${LATTEPANDA_DOCS}/assets/LattePanda%20Product%20Series_Selection%20Guide`;

const list: readonly Source[] = [
  {
    id: "1",
    title: 'Raspberry Pi documentation: Processors, BCM2712 ("32-bit LPDDR4X memory interface provides up to 17GB/s")',
    url: "https://www.raspberrypi.com/documentation/computers/processors.html",
  },
  {
    id: "2",
    title: "Raspberry Pi documentation: Raspberry Pi computers, introduction (models, RAM options, power supply ratings)",
    url: "https://www.raspberrypi.com/documentation/computers/raspberry-pi.html",
  },
  {
    id: "3",
    title: "Raspberry Pi documentation source: Processors, BCM2711 (commit 12045f8)",
    url: `${RPI_DOCS}/12045f8/documentation/asciidoc/computers/processors/bcm2711.adoc`,
  },
  {
    id: "4",
    title: "Raspberry Pi documentation source: power supplies, current tables including Raspberry Pi 4 measurements (commit 4127dbe)",
    url: `${RPI_DOCS}/4127dbe/documentation/asciidoc/computers/raspberry-pi/power-supplies.adoc`,
  },
  {
    id: "5",
    title: "Raspberry Pi documentation: Raspberry Pi 5 (key features: LPDDR4X-4267, VideoCore VII at 800 MHz, PCIe 2.0 x1)",
    url: "https://www.raspberrypi.com/documentation/computers/raspberry-pi-5.html",
  },
  {
    id: "6",
    title: "Raspberry Pi documentation: power supply table, Raspberry Pi 5 row (vendor page not read; its text seen in third-party copies)",
    url: "https://www.raspberrypi.com/documentation/computers/raspberry-pi.html#power-supply",
  },
  {
    id: "7",
    title: "Raspberry Pi documentation: AI HAT+ and AI HAT+ 2",
    url: "https://www.raspberrypi.com/documentation/accessories/ai-hat-plus.html",
  },
  {
    id: "8",
    title: "Raspberry Pi documentation: Raspberry Pi computers, fan cases and Active Cooler (fan curve)",
    url: "https://www.raspberrypi.com/documentation/computers/raspberry-pi.html",
  },
  {
    id: "9",
    title:
      "Jeff Geerling, sbc-reviews dataset: idle and stress-ng wall power, tinymembench memcpy " +
      "(commit 968b675; reviews #3, #4, #5, #21, #49, #57)",
    url: "https://github.com/geerlingguy/sbc-reviews/blob/968b675/web/data/results.yml",
  },
  {
    id: "10",
    title: "Jeff Geerling, ai-benchmarks issue #2: Mac mini M4 power and llama3.2:3b results",
    url: "https://github.com/geerlingguy/ai-benchmarks/issues/2",
  },
  {
    id: "12",
    title: "Elektor: Raspberry Pi KI HAT+ 2 (Hailo-10H, 8 GB LPDDR4X, dimensions and weight)",
    url: "https://www.elektormagazine.de/news/raspberry-pi-ki-hat-2",
  },
  {
    id: "13",
    title: "Repost of Jeff Geerling's Raspberry Pi AI HAT+ 2 review",
    url: "https://news.lavx.hu/article/raspberry-pi-ai-hat-2-review-8gb-ram-for-llms-but-performance-tells-a-different-story",
  },
  {
    id: "14",
    title: "NVIDIA Jetson Orin NX Series datasheet (PDF mirror)",
    url: "https://github.com/icub-tech-iit/cad-libraries/files/13056089/JETSON-ORIN-NX-DATASHEET.pdf",
  },
  {
    id: "15",
    title: "NVIDIA Jetson Orin Nano Series datasheet (copy)",
    url: "https://www.scribd.com/document/673174036/Orin-nano-datasheet",
  },
  {
    id: "16",
    title:
      "Juxi Technology wiki: Jetson Orin Nano Super Developer Kit (8GB), citing NVIDIA's dev-kit user guide, Jetson Orin page, " +
      '"Super boost" blog post and Super dev-kit datasheet',
    url: "https://github.com/Juxi-Technology/wiki-documents",
  },
  {
    id: "17",
    title: "NVIDIA Jetson Orin Nano Developer Kit User Guide (carrier also takes Orin NX modules; hardware layout: DC jack, M.2 slots)",
    url: "https://developer.nvidia.com/embedded/learn/jetson-orin-nano-devkit-user-guide/index.html",
  },
  {
    id: "18",
    title: "Seeed Studio wiki: reComputer J4012 / J401, Flash JetPack (specification table)",
    url: "https://wiki.seeedstudio.com/reComputer_J4012_Flash_Jetpack/",
  },
  {
    id: "19",
    title: "Ultralytics docs: NVIDIA Jetson guide (reproduces NVIDIA's Jetson module comparison table)",
    url: "https://docs.ultralytics.com/guides/nvidia-jetson/",
  },
  {
    id: "20",
    title: "NVIDIA Developer Forums: What is the max power consumption of the Orin AGX 64GB?",
    url: "https://forums.developer.nvidia.com/t/what-is-the-max-power-consumption-of-the-orin-agx-64gb/324194",
  },
  {
    id: "21",
    title: "Fixstars blog: Jetson AGX Orin (15-60 W configurable, up to 275 sparse INT8 TOPS)",
    url: "https://blog.us.fixstars.com/?p=1855",
  },
  {
    id: "22",
    title:
      'Community CAD and design files giving "AGX Dev Kit: 110mm x 110mm x 71.65mm (board + heatsink)" ' +
      "(two OpenSCAD enclosure files and one design document; their repositories were not identified)",
    url: null,
  },
  {
    id: "23",
    title: "Radxa docs: ROCK 5B/5B+ introduction (100 x 75 mm, 64-bit LPDDR4X / LPDDR5, NPU up to 6 TOPS)",
    url: "https://docs.radxa.com/en/rock5/rock5b",
  },
  {
    id: "23b",
    title: "Radxa docs source: ROCK 5B downloads, hardware 2D drawings v1.41 (commit 3db5c0c)",
    url: `${RADXA_DOCS}/rock5/rock5b/download.md`,
  },
  {
    id: "24",
    title: "Radxa docs source: ROCK 5B/5B+ power supply options (commit 3db5c0c)",
    url: `${RADXA_DOCS}/rock5/rock5b/getting-started/power-supply.md`,
  },
  {
    id: "25",
    title: "Radxa docs: ZERO 3W / 3E",
    url: "https://docs.radxa.com/en/zero/zero3",
  },
  {
    id: "26",
    title: "Radxa docs source: ROCK 4D overview, with the USB Type-C power, downloads and ROCK 4 product list pages (commit 3db5c0c)",
    url: `${RADXA_DOCS}/rock4/rock4d/README.md`,
  },
  {
    id: "27",
    title: "Rockchip RK3588 Brief Datasheet (copy): LPDDR4/LPDDR4X/LPDDR5 quad-channel x16-bit",
    url: "https://github.com/industrialtablet/RK3588-Development-Board/blob/main/RK3588_Documents/07_HYY_RK3588_Brief_Datasheet.pdf",
  },
  {
    id: "28a",
    title: "Rockchip RK3588 DDR-loader boot log: LPDDR4X at 2112 MHz on 4 x 16-bit channels",
    url: "https://gist.github.com/adam900710/4b90ba2176db62cd2c6580aa8513522a",
  },
  {
    id: "28b",
    title:
      "Rockchip RK3588 DDR-loader boot logs: a Radxa ROCK 5 ITX log with LPDDR5 at 2400 MHz (loader v1.16), and other RK3588 logs " +
      "at 2736 MHz (loaders v1.08 / v1.12); public files whose repositories were not identified",
    url: null,
  },
  {
    id: "30",
    title: "bunnyamin/bunnix wiki: Orange Pi 5 Max and Orange Pi 5 Plus pages (memory, power input)",
    url: "https://github.com/bunnyamin/bunnix/wiki",
  },
  {
    id: "31",
    title: "kutty-swiss/andy-works: Orange Pi 5 Plus notes, linking the vendor's Orange Pi 5 Plus page",
    url: "https://github.com/kutty-swiss/andy-works/blob/HEAD/orangepi5Plus.md",
  },
  {
    id: "32",
    title: "Khadas docs (commit cf5e518): VIM3 and VIM4 Linux pages, VIM3 Android page, VIM3 hardware page",
    url: "https://github.com/khadas/khadas_docs/tree/cf5e518",
  },
  {
    id: "33",
    title:
      "U-Boot documentation: Khadas VIM3 (v2023.10), and Linux commit c6d29c66e582 " +
      '"arm64: dts: meson-g12b-khadas-vim3: add initial device-tree"',
    url: "https://github.com/u-boot/u-boot/blob/v2023.10/doc/board/amlogic/khadas-vim3.rst",
  },
  {
    id: "34",
    title: "OpenCV Zoo benchmark README, commit 99e5ad06 (quotes the Khadas VIM4 specification)",
    url: "https://huggingface.co/opencv/opencv_zoo/commit/99e5ad06ca00e63ee246754aafaeb9e54f1ea525",
  },
  {
    id: "35",
    title: "LattePanda documentation",
    url: "https://docs.lattepanda.com",
  },
  {
    id: "35a",
    title: "LattePanda docs source: LattePanda 3 Delta specification (commit f311c77)",
    url: `${LATTEPANDA_DOCS}/content/3rd_delta_edition/specification.md`,
  },
  {
    id: "35b",
    title: "LattePanda 3 Delta Specs / Selection Guide, DFR0981 / DFR0982 (PDF, commit f311c77)",
    url: `${LATTEPANDA_GUIDES}/LattePanda%203%20Delta%20Specs_Selection%20Guide%5BDFR0981%5D%5BDFR0982%5D.pdf`,
  },
  {
    id: "35c",
    title: "LattePanda docs source: LattePanda 3 Delta powering (commit f311c77)",
    url: `${LATTEPANDA_DOCS}/content/3rd_delta_edition/powering.md`,
  },
  {
    id: "35d",
    title: "LattePanda docs source: LattePanda Sigma specification (commit f311c77)",
    url: `${LATTEPANDA_DOCS}/content/sigma_edition/Specification.md`,
  },
  {
    id: "35e",
    title: "LattePanda Sigma Specs / Selection Guide, DFR1080 / DFR1081 / DFR1090 / DFR1091 (PDF, commit f311c77)",
    url: `${LATTEPANDA_GUIDES}/LattePanda%20Sigma%20Specs_Selection%20Guide%5BDFR1080%5D%5BDFR1081%5D%5BDFR1090%5D%5BDFR1091%5D.pdf`,
  },
  {
    id: "35f",
    title: "LattePanda docs source: LattePanda Sigma powering on and FAQ pages (commit f311c77)",
    url: "https://github.com/LattePandaTeam/Docs/tree/f311c77/docs/content/sigma_edition",
  },
  {
    id: "36",
    title: "AnandTech: Intel NUC 13 Pro (Arena Canyon) review, page 8 (power consumption)",
    url: "https://www.anandtech.com/show/18791/intel-nuc13-pro-arena-canyon-review-raptor-lake-brings-incremental-gains/8",
  },
  {
    id: "37",
    title: "AnandTech: ASRock Industrial NUC BOX-N97 and GMKtec NucBox G2 review, page 9 (power consumption)",
    url: "https://www.anandtech.com/show/21085/asrock-industrial-nuc-boxn97-and-gmktec-nucbox-g2-review-contrasting-compact-adln-options/9",
  },
  {
    id: "38",
    title: "Apple: Mac mini (2024) - Tech Specs",
    url: "https://support.apple.com/en-sg/121555",
  },
  {
    id: "39a",
    title: "MacStories: The more mini Mac mini (size as announced by Apple)",
    url: "https://macstories.net/news/the-more-mini-mac-mini",
  },
  {
    id: "39b",
    title: "DDay.it: Mac mini M4 review",
    url: "https://global.dday.it/2024/11/07/313/mac-mini-m4-review-super-performance-impressive-efficiency-desktop-revolution",
  },
  {
    id: "40",
    title: "ServeTheHome: The Apple Mac mini M4 sets the mini computer standard, page 3 (power)",
    url: "https://www.servethehome.com/the-apple-mac-mini-m4-sets-the-mini-computer-standard/3/",
  },
  {
    id: "41a",
    title: "Coral: Technology (Edge TPU, 4 TOPS, 2 TOPS per watt)",
    url: "https://coral.ai/technology",
  },
  {
    id: "41b",
    title: "Copy of the Coral Dev Board tech specs in the ESE-Lab/Kubeflow README (the coral.ai Dev Board datasheet itself was not read)",
    url: "https://github.com/ESE-Lab/Kubeflow",
  },
  {
    id: "42",
    title: "Qualcomm: RB3 Gen 2 hardware overview",
    url: "https://docs.qualcomm.com/doc/80-70014-251/topic/rb3_hardware_overview.html",
  },
  {
    id: "43",
    title: "Acceleration Robotics: ROS 2 hardware acceleration on the Qualcomm RB5",
    url: "https://news.accelerationrobotics.com/ros2-qualcomm-hardware-acceleration/",
  },
  {
    id: "44",
    title: "Yahboom: power supply of the Raspberry Pi 500 (27 W, 5.1 V / 5 A official supply)",
    url: "https://www.yahboom.net/public/upload/upload-html/1735011923/03.Power%20supply%20of%20Raspberry%20Pi%20500.html",
  },
  {
    id: "45",
    title: "CircuitDigest: The new Raspberry Pi 5 is here (launch coverage: 32-bit LPDDR4X at 4267 MT/s)",
    url: "https://circuitdigest.com/news/the-new-raspberry-pi-5-is-here-faster-than-ever",
  },
  {
    id: "46",
    title:
      "MisterHW/RPi5-HATplus (links Raspberry Pi's Pi 5 mechanical drawing), plus community Pi 5 CAD files using 85 x 56 mm " +
      '(anchorscad Pi 5 case, "Rack Scad" Pi 5 mount)',
    url: "https://github.com/MisterHW/RPi5-HATplus",
  },
  {
    id: "48",
    title:
      "Third-party board-art file citing Raspberry Pi's Pi 4 mechanical drawing RP-008343-DS (85 x 56 mm); " + "its repository was not identified",
    url: null,
  },
  {
    id: "49",
    title:
      'Community Jetson Orin NX 16GB "Super" specification page citing NVIDIA\'s product page (157 TOPS, 10/15/25 W plus a 40 W mode); ' +
      "its repository was not identified",
    url: null,
  },
  {
    id: "50",
    title: "ROBOTIS ANTBot documentation: Jetson AGX Orin 32GB table (256-bit LPDDR5, 204.8 GB/s); its location was not identified",
    url: null,
  },
  {
    id: "51",
    title: "Joshua-Riek/ubuntu-rockchip issue #361 (Orange Pi 5 on a 5 V / 4 A supply)",
    url: "https://github.com/Joshua-Riek/ubuntu-rockchip/issues/361",
  },
  {
    id: "52",
    title: "Jetson Orin Nano Super explainer (secondary; quotes NVIDIA's Super datasheet): carrier 100 x 79 mm, 15 W to 25 W, 68 to 102 GB/s",
    url: "https://www.brojogopalsapui.com/ai-foundations/sub_contents/AI_hardware/jetson_orin_nano_light.html",
  },
];

export const SOURCES: Readonly<Record<SourceId, Source>> = Object.fromEntries(list.map((s) => [s.id, s]));
