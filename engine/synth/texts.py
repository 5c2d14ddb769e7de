"""Text content for the synthetic apps (picked by the seed)."""
from __future__ import annotations

NOTE_TITLES = ["Trip to Porto", "Groceries", "Meeting notes", "Weekend plan", "Book club", "Garden ideas",
               "Gift list", "Sprint review", "Recipe: lentil soup", "Moving checklist"]
NOTE_LINES = [
    "Packing:", "- passport", "- charger", "- rain jacket", "- sunglasses", "Day 1:", "- check in after 3pm",
    "- dinner near river", "Ask Maria about the ferry times", "buy oat milk, eggs, spinach and coffee beans",
    "Call the landlord about the heating before Friday", "- book table for 8", "Budget: 420 EUR",
    "Remember to water the tomatoes every second day", "Agenda: roadmap, hiring, offsite dates",
    "- confirm the venue", "- send invites", "Pick up the parcel at the post office",
]
SENTENCES = [
    "the museum opens at ten so we can walk there after breakfast",
    "remind Tom to bring the spare keys and the blue folder",
    "next week we should try the new place on the corner",
    "the train leaves at 7:45 from platform 3",
    "check if the pharmacy is open on Sunday",
    "we agreed to move the release to Thursday afternoon",
    "order a new filter for the coffee machine",
    "maybe rent bikes for the afternoon if the weather is good",
    "the quote from the painter was lower than expected",
    "write down the wifi password for the guests",
    "pay the electricity bill before the end of the month",
    "ask the team which slides still need screenshots",
    "camera", "tickets", "adapter", "notebook", "umbrella", "snacks for the road",
]
CHAT_NAMES = ["Noah Brandt", "Lena Fischer", "Sam Okafor", "Mia Rossi", "Jonas Meier", "Ava Lindqvist"]
CHAT_MSGS = [
    "Are we still on for tonight?", "Yes! 7 at the usual place", "Nice", "Traffic might be bad",
    "We'll take the ring road", "Good call", "Do you have the tickets printed?", "On my phone", "Cool",
    "See you at 6:45", "Don't be late", "Never ;)", "Haha", "Also, can I borrow your umbrella?",
    "Sure, it's by the door", "Who won last time?", "We did, 2-1", "Bring the flags!", "Of course",
    "Sounds good", "7:30 I think", "OK that's 2", "Kickoff is at 7?", "Let's leave at 6:45 then",
    "Did you see the email from Anna?", "Not yet, will check", "Running 5 min late", "No worries",
    "Can you send me the address?", "It's Hauptstrasse 12", "Thanks!", "Perfect",
]
CHAT_REPLIES = ["Meet you at gate B", "On my way", "Just parked", "Got it, thanks", "I'll bring snacks",
                "Sounds great", "See you soon", "Can we make it 8?", "Yes that works", "Where exactly?",
                "Call me when you're there", "Almost done here", "Love it", "Ok, leaving now"]
NOTIFS = [("Mail", "Anna Weber", "Slides for Monday - Here are the final slides, can you check page 4?"),
          ("Calendar", "Standup in 10 min", "Room 2.14 - Daily sync with the platform team"),
          ("Messages", "Sam Okafor", "Are you coming to the game tonight?"),
          ("Bank", "Payment received", "You received 42.00 EUR from Lena Fischer"),
          ("Weather", "Rain expected", "Light rain starting around 16:00 in your area"),
          ("Delivery", "Your parcel is out", "Arriving today between 14:00 and 16:00")]
POPUPS = [("Low storage", "Free up space to keep syncing notes.", ["Close", "Manage"]),
          ("Update available", "Version 4.2 brings faster sync and bug fixes.", ["Later", "Install"]),
          ("Enable notifications?", "Get reminders for shared notes and chats.", ["Not now", "Allow"]),
          ("Delete draft?", "This draft will be removed from all your devices.", ["Cancel", "Delete"]),
          ("Rate this app", "Enjoying it? Tell us what you think in a short review.", ["No thanks", "Rate"])]
TOASTS = ["Saved", "Copied to clipboard", "Note pinned", "Message sent", "Link copied", "Changes saved",
          "Reminder set for 18:00", "Added to favorites", "Thanks! A specialist will contact you soon."]
MENU = ["Pin note", "Share", "Move to folder", "Find in note", "Lock note", "Print"]
CHAT_MENU = ["Search", "Mute notifications", "Media and files", "Wallpaper", "Clear chat", "Block"]
SUGGEST = ["the", "to", "and", "you", "I", "for", "at", "tickets", "tonight", "soon", "see", "thanks",
           "meeting", "train", "weekend", "adapter", "camera", "charger", "coffee", "great"]
EDITOR_FILES = ["TODO.txt", "notes.md", "release.md", "ideas.txt", "meeting.md"]
EDITOR_LINES = ["Backend", "  * migrate sessions table", "  * add rate limits", "", "Frontend",
                "  * dark mode toggle", "  * fix login redirect", "", "Release", "  * tag v2.4.0",
                "  * write changelog", ""]
EDITOR_TYPED = ["  * announce in #general", "  * update the docs for the new API", "  * bump dependencies",
                "  * check the flaky upload test", "Ops", "  * rotate the staging keys",
                "  * ask Jonas about the on-call rota", "  * remove the old feature flags",
                "  * profile the search endpoint", "Notes", "  * retro on Friday at 15:00"]
COMMANDS = [
    ("ls -la src | head", ["total 48", "drwxr-xr-x  6 dev dev 4096 Mar  3 10:12 .",
                           "drwxr-xr-x 12 dev dev 4096 Mar  3 09:58 ..",
                           "-rw-r--r--  1 dev dev 1204 Mar  3 10:12 app.py",
                           "-rw-r--r--  1 dev dev  873 Mar  2 17:40 config.py",
                           "drwxr-xr-x  2 dev dev 4096 Mar  1 11:03 models",
                           "-rw-r--r--  1 dev dev 2311 Mar  3 10:01 server.py"]),
    ("cat config.yaml", ["port: 8080", "workers: 4", "log_level: info", "database:",
                         "  url: postgres://localhost/app", "  pool: 10"]),
    ("./build.sh", ["[1/6] resolving dependencies", "[2/6] compiling core", "[3/6] compiling api",
                    "[4/6] linking", "[5/6] running tests ... 128 passed", "[6/6] packaging dist/app-2.4.0.tar.gz",
                    "build finished in 41.2s"]),
    ("git status", ["On branch main", "Your branch is up to date with 'origin/main'.", "",
                    "Changes not staged for commit:", "        modified:   src/app.py",
                    "        modified:   src/server.py"]),
    ("grep -n TODO src/*.py", ["src/app.py:14:    # TODO: cache the session lookup",
                               "src/server.py:88:        # TODO: handle timeouts"]),
    ("seq 1 5", ["1", "2", "3", "4", "5"]),
    ("python -m pytest -q", ["........................................ [ 62%]",
                             "........................                 [100%]", "64 passed in 3.18s"]),
    ("df -h .", ["Filesystem      Size  Used Avail Use% Mounted on", "/dev/nvme0n1p2  468G  211G  234G  48% /"]),
    ("date", ["Tue Mar  3 10:14:07 CET 2026"]),
    ("echo $SHELL", ["/bin/bash"]),
    ("clear", []),
]
FORM_NAMES = ["Jonas Meier", "Lena Fischer", "Sam Okafor", "Mia Rossi", "Ava Lindqvist"]
FORM_COMPANIES = ["Meier Labs", "Northwind GmbH", "Blue Finch", "Contoso AG", "Helix Works"]
FORM_MSGS = ["25 seats, SSO required.", "We need a quote for 40 users.", "Please call after 14:00.",
             "Interested in the annual plan.", "Can we get a demo next week?"]
REGIONS = ["Austria", "Belgium", "Germany", "Netherlands", "Switzerland"]
WINDOW_FILES = ["build-2291.zip", "report-q1.pdf", "photos-march.tar", "backup-0303.db"]
LOG_LINES = ["Connecting...", "Uploading chunk 1/4", "Uploading chunk 2/4", "Uploading chunk 3/4",
             "Uploading chunk 4/4", "Verifying checksum", "Done."]


def suggestions(word: str) -> list[str]:
    """Three keyboard suggestions for a typed word (deterministic)."""
    h = sum(ord(c) for c in word)
    rest = [w for w in SUGGEST if w != word]
    return [f'"{word}"', rest[h % len(rest)], rest[(h * 7 + 3) % len(rest)]]
