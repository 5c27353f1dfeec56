"""External signals: dataframe wire encoding, the leader broadcast and the follower consumer."""
