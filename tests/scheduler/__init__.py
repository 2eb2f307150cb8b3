"""dvflow.scheduler: the jobs and their options, the embedded scheduler, the commands, the scheduler process."""
