export interface Config {
  app: {
    signIn?: {
      /**
       * Offer guest sign-in on the sign-in page. Default: false.
       * @visibility frontend
       */
      guest?: boolean;
    };
  };
}
