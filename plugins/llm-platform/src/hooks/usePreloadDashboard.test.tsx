import { renderHook } from '@testing-library/react';
import { usePreloadDashboard } from './usePreloadDashboard';

describe('usePreloadDashboard', () => {
  it('waits for the page to be idle, and gives up when unmounted first', () => {
    const request = jest.fn((_cb: IdleRequestCallback) => 7);
    const cancel = jest.fn();
    Object.assign(window, {
      requestIdleCallback: request,
      cancelIdleCallback: cancel,
    });
    try {
      const { unmount } = renderHook(() => usePreloadDashboard());
      expect(request).toHaveBeenCalledWith(expect.any(Function), {
        timeout: 3000,
      });
      unmount();
      expect(cancel).toHaveBeenCalledWith(7);
    } finally {
      Object.assign(window, {
        requestIdleCallback: undefined,
        cancelIdleCallback: undefined,
      });
    }
  });
});
