"""Canonical column names shared by loading, engagement and the demo generator.

Every creator table inside the project uses these names. Counts such as
``likes`` are *averages per post* for one creator (an account-level table);
``posts`` is how many posts those averages were taken over.
"""

from __future__ import annotations

from typing import Final

HANDLE: Final = "handle"
FOLLOWERS: Final = "followers"
LIKES: Final = "likes"
COMMENTS: Final = "comments"
SHARES: Final = "shares"
SAVES: Final = "saves"
VIEWS: Final = "views"
POSTS: Final = "posts"
PLATFORM: Final = "platform"
CATEGORY: Final = "category"
COUNTRY: Final = "country"
SPONSORED: Final = "sponsored"
POST_DATE: Final = "post_date"
#: An engagement rate the file already carries (as a fraction), kept beside the computed one.
ER_GIVEN: Final = "er_given"

#: Numeric count columns: parsed as numbers, never negative.
COUNT_COLUMNS: Final = (FOLLOWERS, LIKES, COMMENTS, SHARES, SAVES, VIEWS, POSTS)
#: Text columns used for segments and filters.
SEGMENT_COLUMNS: Final = (PLATFORM, CATEGORY, COUNTRY, SPONSORED)
#: Every canonical column, in display order.
CANONICAL: Final = (HANDLE, *COUNT_COLUMNS, PLATFORM, CATEGORY, COUNTRY, SPONSORED, POST_DATE, ER_GIVEN)
