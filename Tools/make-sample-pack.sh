#!/usr/bin/env bash
# Usage: Tools/make-sample-pack.sh — (re)synthesises the sample pack's prompt and reference audio with espeak-ng
# and draws its picture, into ExamPacks/SH-2026-EL/ (16 kHz mono 16-bit FLAC, no dither, so files stay small).
# pack.yaml is written by hand; the texts below are the transcripts it quotes. Needs espeak-ng and sox (Tools/bootstrap).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PACK="$ROOT/ExamPacks/SH-2026-EL"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$PACK/audio" "$PACK/pictures"
WOMAN="en-us+f3"; MAN="en-gb+m3"; NARRATOR="en-us"
SPEED=165

# speak VOICE TEXT OUT.wav — one utterance at 22.05 kHz from espeak-ng.
speak() { espeak-ng -v "$1" -s "$SPEED" -w "$3" "$2"; }
# pause SECONDS OUT.wav — silence between turns.
pause() { sox -n -r 22050 -c 1 -b 16 "$2" trim 0 "$1"; }
# join OUT.flac PART... — concatenate utterances and store as 16 kHz mono FLAC.
join() {
  local out="$1"; shift
  sox -D "$@" -r 16000 -c 1 -b 16 -C 8 "$out"
}
# say OUT VOICE TEXT — one voice, one file.
say() { speak "$2" "$3" "$WORK/s.wav"; join "$PACK/audio/$1.flac" "$WORK/s.wav"; }
# dialogue OUT "W|M|Q:text"... — a short conversation between a woman and a man, then the question.
dialogue() {
  local out="$1"; shift
  local parts=() n=0
  pause 0.4 "$WORK/gap.wav"
  for turn in "$@"; do
    local who="${turn%%:*}" text="${turn#*:}" voice="$NARRATOR"
    [ "$who" = W ] && voice="$WOMAN"
    [ "$who" = M ] && voice="$MAN"
    n=$((n + 1))
    speak "$voice" "$text" "$WORK/t$n.wav"
    parts+=("$WORK/t$n.wav" "$WORK/gap.wav")
  done
  join "$PACK/audio/$out.flac" "${parts[@]}"
}

# Listening A: short conversations, each followed by its question.
dialogue LA1 "W:Can I help you?" "M:Yes. I'd like some sports shoes, size forty-two." "Q:Where are they talking?"
dialogue LA2 "M:How much are these apples?" "W:Five yuan a kilo." "M:Two kilos, please." "Q:How much will the man pay?"
dialogue LA3 "W:The film starts at seven thirty." "M:Let's meet twenty minutes earlier." "Q:When will they meet?"
dialogue LA4 "M:Is Lucy in the classroom?" "W:No. She went to the library to return some books." "Q:Where is Lucy now?"
dialogue LA5 "W:You look tired, Tom." "M:I stayed up late to finish my science project." "Q:Why is Tom tired?"
dialogue LA6 "M:Shall we take a bus to the museum?" "W:It's not far. Let's walk there." "Q:How will they go to the museum?"
dialogue LA7 "W:What's the weather like in Beijing?" "M:Windy and cold. Take a warm coat." "Q:What is the weather like in Beijing?"
dialogue LA8 "M:Mum, may I watch TV now?" "W:Only after you finish your homework." "Q:What must the boy do first?"
dialogue LA9 "W:Who is the man with glasses?" "M:Mister Li, our new music teacher." "Q:What does Mister Li teach?"
dialogue LA10 "M:I'm going to Hangzhou this weekend." "W:Great! Don't miss the West Lake." "Q:What will the man do this weekend?"

# Listening B: three passages (the questions are on screen).
say LB-P1 "$WOMAN" "Hello everyone. I am Amy, and I live in Shanghai with my parents. Every Saturday morning I go to a dance class near my home. The class starts at nine and lasts two hours. After the class, I often have lunch with my grandmother. She makes the best noodles in the world."
say LB-P2 "$MAN" "Last month our school held a green week. Students collected used paper and bottles, and sold them to a recycling company. With the money, they bought two hundred young trees. On Friday, every class planted trees along the river."
say LB-P3 "$NARRATOR" "Mike wanted to learn to cook. At first, he burned the rice and put too much salt in the soup. His father told him to read the recipe carefully and be patient. Mike practised every evening. Two months later, he cooked dinner for the whole family on his mother's birthday."

# Speaking: reference readings for the read-aloud items.
say SA1-reference "$NARRATOR" "Reading opens a window to the world for young people."
say SB1-reference "$NARRATOR" "Every spring, my family goes to the countryside to fly kites. My father makes the kites himself, and my little sister paints them in bright colours. When the wind is strong, our kites climb high into the blue sky."

# Speaking: situational questions and quick responses (prompts heard by the candidate).
say SC1 "$WOMAN" "You meet a new classmate. Ask her which club she wants to join."
say SC2 "$MAN" "Your friend looks worried before an exam. What would you say to him?"
say SE1 "$WOMAN" "Thank you for helping me with my English."
say SE2 "$MAN" "Would you like to go hiking with us this Sunday?"
say SE3 "$WOMAN" "I'm sorry I broke your pen."
say SE4 "$MAN" "What do you usually do at weekends?"

# Speaking: the passage to summarise.
say SF-passage "$NARRATOR" "Many teenagers spend hours on their phones every day. Doctors say this can hurt their eyes and their sleep. Some schools ask students to leave their phones at home. Others teach them to plan their screen time, so they have more time for sports, reading and friends."

# Picture talk: students planting trees by a river.
cat > "$PACK/pictures/SD1.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320" viewBox="0 0 480 320">
  <title>Students planting trees by a river</title>
  <rect width="480" height="320" fill="#dff1ff"/>
  <circle cx="420" cy="50" r="28" fill="#ffd54a"/>
  <rect y="200" width="480" height="120" fill="#8bc34a"/>
  <path d="M0 260 C120 240 240 290 480 250 L480 290 C240 320 120 280 0 300 Z" fill="#4fa3e0"/>
  <g id="tree"><rect x="96" y="150" width="10" height="50" fill="#795548"/><circle cx="101" cy="140" r="26" fill="#388e3c"/></g>
  <use href="#tree" x="120"/><use href="#tree" x="250" y="10"/>
  <g stroke="#333" stroke-width="4" fill="none">
    <circle cx="180" cy="150" r="10" fill="#ffccbc"/><path d="M180 160 L180 195 M180 170 L165 185 M180 170 L200 180 M180 195 L170 215 M180 195 L190 215"/>
    <path d="M200 180 L205 215" stroke="#9e9e9e"/>
    <circle cx="310" cy="155" r="10" fill="#ffccbc"/><path d="M310 165 L310 200 M310 175 L295 190 M310 175 L328 188 M310 200 L300 220 M310 200 L320 220"/>
    <path d="M322 188 L340 196 L336 206 L318 200 Z" fill="#2196f3" stroke="#1565c0"/>
  </g>
</svg>
SVG
du -sh "$PACK"
