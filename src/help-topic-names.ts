// The help topics' names (and their aliases): one list for `help TOPIC`, its description and
// hint, and shell completion. No imports: the completion path loads it.
export const HELP_TOPICS = [
  {
    name: 'exit-codes',
    aliases: ['exitcodes'],
    description: 'what each exit code means (for scripts and cron alerts)',
  },
  { name: 'environment', aliases: ['env'], description: 'environment variables' },
  { name: 'cron', aliases: [], description: 'running from cron' },
] as const;

export type HelpTopicName = (typeof HELP_TOPICS)[number]['name'];

/** `exit-codes, environment, cron`. */
export const HELP_TOPIC_LIST = HELP_TOPICS.map((t) => t.name).join(', ');
