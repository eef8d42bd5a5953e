/**
 * Runlayer enforcement of annotated Spring bean methods: {@link com.runlayer.spring.aop.RunlayerTool},
 * {@link com.runlayer.spring.aop.RunlayerSessionId}, {@link com.runlayer.spring.aop.RunlayerSessionIdResolver} and
 * the {@link com.runlayer.spring.aop.RunlayerToolAdvisor} that applies them without an AspectJ weaver.
 */
package com.runlayer.spring.aop;
