export interface Config {
  llmPlatform?: {
    /** The `llm-platform:publish:local` scaffolder action. */
    localPublisher?: {
      /**
       * Directory under which generated repositories are written, one
       * sub-directory per repository. Relative paths resolve against the
       * backend's working directory. Default: `llm-platform-repos` in the
       * operating system's temporary directory.
       */
      baseDir?: string;
    };
  };
}
