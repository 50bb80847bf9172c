/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | string;
    TARO_APP_CLOUD_ENV?: string;
    /** 'cloudbase' builds the H5 app against the cloud functions instead of the HTTP API. */
    TARO_APP_TRANSPORT?: string;
  }
}
