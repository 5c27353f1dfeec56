"""Bad input everywhere: broken configs, corrupt data files, faulty strategies."""
