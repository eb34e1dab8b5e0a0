## The public help center, in English.

hc-title = Help center
hc-home = Help center home
hc-search = Search
hc-search-label = Search the help center
hc-search-placeholder = How can we help?
hc-results = Results for “{ $query }”
hc-result-count = { $count ->
    [one] One article found
   *[other] { $count } articles found
}
hc-no-results = No article matches “{ $query }”. Try other words, or submit a request and a person will answer.
hc-empty-query = Type what you are looking for.
hc-categories = Categories
hc-promoted = Popular articles
hc-attachments = Attachments
hc-related = Related articles
hc-in-section = Articles in this section
hc-updated = Updated
hc-breadcrumbs = You are here
hc-language = Language
hc-not-found-title = Page not found
hc-not-found = We could not find that page. It may have moved, or it is not published.
hc-error-title = Something went wrong
hc-error = The help center could not show this page. Please try again in a moment.
hc-skip = Skip to content
hc-previous = Previous results
hc-next = More results
hc-more = See all { $count } articles
hc-helpful = Was this article helpful?
hc-yes = Yes
hc-no = No
hc-thanks = Thank you for your answer.
hc-helpful-count = { $up } of { $count } found this helpful
hc-date = { $month } { $day }, { $year }
hc-month-1 = January
hc-month-2 = February
hc-month-3 = March
hc-month-4 = April
hc-month-5 = May
hc-month-6 = June
hc-month-7 = July
hc-month-8 = August
hc-month-9 = September
hc-month-10 = October
hc-month-11 = November
hc-month-12 = December
hc-signed-in-as = Signed in as { $name }
hc-restricted = Internal article: only the people it is meant for see it; it is not on the public help center.
hc-invalid-title = Something is missing
hc-invalid = We could not take what you sent: go back, check it and send it again.

# Readers' comments on an article.
hc-comments = Comments
hc-comments-none = No comments yet.
hc-comments-closed = Comments are closed on this article.
hc-comment-add = Add a comment
hc-comment-publish = Publish
hc-comment-sign-in = Sign in to comment
