# Event pages, sessions, venues and prices arrive with the events issue.
