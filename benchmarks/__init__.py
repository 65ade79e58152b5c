"""`make bench`: parse and call-overhead figures for threecommas_client, each beside its baseline and target."""
