"""Leader/follower tests over real sockets and real bots."""
