package com.runlayer.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The Runlayer stand-in of the benchmarks: a Netty HTTP/1.1 server on loopback that answers the Runlayer endpoints
 * with fixed small bodies, on kept-alive connections, from its event loops without any other hand-off; under
 * {@code /slow} it answers after two seconds (scheduled on the event loop, so a slow answer holds no thread).
 * Request bodies up to 64 MiB are read whole and dropped.
 *
 * <p>{@link RunlayerBenchmarks} starts one in the launcher JVM and hands its URL to every forked benchmark JVM in
 * the system property {@value #URL_PROPERTY}: the forks measure only the client side, and the server's work never
 * counts in a fork's GC profile. A benchmark run without that property (e.g. from an IDE) starts its own.
 */
final class BenchServer implements AutoCloseable {

	static final String URL_PROPERTY = "runlayer.bench.url";

	static final byte[] PRE_ALLOW = "{\"permission\":\"allow\"}".getBytes(StandardCharsets.UTF_8);

	static final byte[] POST_PASS = "{\"blocked\":false}".getBytes(StandardCharsets.UTF_8);

	static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

	private static BenchServer local;

	private final EventLoopGroup group;

	private final Channel channel;

	BenchServer(int threads) throws InterruptedException {
		this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
		this.channel = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpServerCodec())
						.addLast(new HttpObjectAggregator(64 * 1024 * 1024))
						.addLast(new Handler());
				}
			})
			.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.sync()
			.channel();
	}

	String url() {
		return "http://127.0.0.1:" + ((InetSocketAddress) this.channel.localAddress()).getPort();
	}

	/** The shared server's URL, or a server of this JVM when none was handed over. */
	static synchronized String sharedUrl() throws InterruptedException {
		String url = System.getProperty(URL_PROPERTY);
		if (url != null && !url.isBlank()) {
			return url;
		}
		if (local == null) {
			local = new BenchServer(2);
		}
		return local.url();
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			String path = request.uri();
			byte[] body;
			if (path.endsWith("/tool/pre")) {
				body = PRE_ALLOW;
			}
			else if (path.endsWith("/tool/post")) {
				body = POST_PASS;
			}
			else {
				body = EMPTY;
			}
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
					Unpooled.wrappedBuffer(body));
			response.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
				.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
			boolean keepAlive = HttpUtil.isKeepAlive(request);
			Runnable answer = () -> {
				if (keepAlive) {
					ctx.writeAndFlush(response);
				}
				else {
					ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
				}
			};
			if (path.startsWith("/slow/")) {
				ctx.executor().schedule(answer, 2, TimeUnit.SECONDS);
			}
			else {
				answer.run();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			// a client that went away (e.g. an interrupted telemetry request): nothing to answer
			ctx.close();
		}

	}

}
