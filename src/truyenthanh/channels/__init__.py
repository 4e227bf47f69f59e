"""The plan's other channels, made from the same approved text as the programmes and prints.

- `slides.py`  Pillow slides for e-screens (title, body pages, hotline + QR)
- `timeline.py` when each spoken sentence is heard in a programme, and which slide shows then
- `video.py`   the e-screen MP4 (H.264 + AAC) with the ffmpeg of imageio-ffmpeg
- `social.py`  square and portrait cards, and the post text for Zalo OA / Facebook pages
- `web.py`     the portal post: an HTML fragment and Markdown

Every function here is a pure recipe: the stages (`stages/screens.py`,
`stages/screens_sound.py`, `stages/social.py`) declare the jobs and the builder
publishes what they return.
"""

from __future__ import annotations

# Bump when the slides, cards, posts or encoding change: every channel file is rebuilt.
RECIPE_VERSION = 4  # 3: soundtracks joined from phrases' AAC; 4: MP4 written in-process (mux.py)
